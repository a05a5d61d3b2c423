from tests.router.admin.conftest import own_pg_url, stack, world  # noqa: F401 - fixtures
