"""The code base stays lint-clean and layered: ruff and the import contract (pyproject.toml,
[tool.importlinter]) run with the suite, so CI catches what review misses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def test_ruff_check_passes() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--no-cache", str(PROJECT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_stages_import_downward_only() -> None:
    """A module that imports from a higher stage (the archive from the warehouse, the
    crawler from the warehouse) fails here, naming the import and its line."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache", "--config", str(PROJECT / "pyproject.toml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
