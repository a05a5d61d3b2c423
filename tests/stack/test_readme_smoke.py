"""CI's smoke step reads the README's first command and curl example; they must keep the shape it runs."""
import sys

from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import smoke_readme  # noqa: E402


def test_the_readme_commands_are_what_ci_runs():
    first, curl = smoke_readme.readme_commands()
    assert first["venv"] == ".venv" and first["env"].split() == ["RADIANT_BOOTSTRAP_API_KEY=dev-key"]
    assert "Bearer dev-key" in curl and "123-45-6789" in curl and "John Smith" in curl


def test_a_changed_first_command_is_reported(monkeypatch, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("```bash\npip install radiant && radiant up\n```\n")
    monkeypatch.setattr(smoke_readme, "README", readme)
    try:
        smoke_readme.readme_commands()
    except smoke_readme.SmokeFailure as exc:
        assert "no longer has the shape" in str(exc)
    else:
        raise AssertionError("a first command of another shape was accepted")
