"""The generated stubs in gen/ must be exactly what protos/ produce today."""
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import gen_protos  # noqa: E402


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".pyi")}


def test_generated_stubs_match_protos(tmp_path):
    gen_protos.generate(tmp_path)
    fresh, committed = _files(tmp_path), _files(REPO_ROOT / "gen")
    assert sorted(fresh) == sorted(committed), "gen/ has missing or extra files: run python scripts/gen_protos.py"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"gen/ is stale for {stale}: run python scripts/gen_protos.py"
