"""The `radiant` command line: subcommands other than `up` (which test_launcher / test_radiant_up cover)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from services.cli import main


def test_version_command():
    result = subprocess.run([sys.executable, "-m", "services.cli", "version"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("radiant ")


def test_phi_subcommand_passes_the_remaining_argv_to_the_phi_cli(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["phi", "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: radiant phi")


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
