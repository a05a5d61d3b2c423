"""`python -m services.migrate [service ...]`: upgrade the database schema of the named services (default: every
service that has migrations) to head, then exit. The Helm pre-install/pre-upgrade Job runs this, so the services can
start with RADIANT_DB_AUTO_MIGRATE=false. The database URL is RADIANT_DATABASE_URL, as for the service itself.

Each service keeps its Alembic scripts in services/<name>/migrations and its own version table
alembic_version_<name> (the same table its server uses when it migrates at start)."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from services.runtime.config import BaseServiceSettings, ConfigError, load_settings
from services.runtime.db import migrate
from services.runtime.logs import configure_logging

log = logging.getLogger("radiant.migrate")
SERVICES_DIR = Path(__file__).resolve().parent


def migratable_services() -> list[str]:
    return sorted(p.parent.parent.name for p in SERVICES_DIR.glob("*/migrations/env.py"))


def version_table(service: str) -> str:
    return f"alembic_version_{service}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.migrate",
                                     description="Upgrade service database schemas to the latest revision.")
    parser.add_argument("services", nargs="*", metavar="service",
                        help=f"services to migrate (default: all of {', '.join(migratable_services())})")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    known = migratable_services()
    unknown = [name for name in args.services if name not in known]
    if unknown:
        parser.error(f"no migrations for {', '.join(unknown)} (services with migrations: {', '.join(known)})")
    try:
        settings = load_settings(BaseServiceSettings)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    configure_logging("migrate", settings.log_level)
    for service in args.services or known:
        log.info("migrating", extra={"target": service})
        migrate(settings.database_url, SERVICES_DIR / service / "migrations", version_table(service))
        log.info("migrated", extra={"target": service})
    return 0


if __name__ == "__main__":
    sys.exit(main())
