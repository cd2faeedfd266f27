"""Every data file a package reads at run time ships with it: a wheel install keeps only
the files pyproject.toml's package-data names, so a template left out works in the
editable install here and is missing everywhere else."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _patterns() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def _packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({pattern.rstrip("*") for pattern in include})


def _shipped(relative: str, patterns: dict[str, list[str]]) -> bool:
    parts = relative.split("/")
    for depth in range(1, len(parts)):
        package, inside = ".".join(parts[:depth]), "/".join(parts[depth:])
        if any(fnmatch.fnmatchcase(inside, p) for p in patterns.get(package, [])):
            return True
    return False


def test_every_data_file_in_a_package_is_named_in_package_data() -> None:
    patterns = _patterns()
    missing = []
    for package in _packages():
        for path in sorted((ROOT / package).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if (
                path.is_dir()
                or path.suffix in {".py", ".pyc", ".pyi"}
                or "__pycache__" in path.parts
                or path.name.startswith(".")
            ):
                continue
            if not _shipped(relative, patterns):
                missing.append(relative)
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"


def test_the_check_sees_a_file_left_out() -> None:
    patterns = {"warehouse": ["site/templates/*"]}
    assert _shipped("warehouse/site/templates/page.html", patterns)
    assert not _shipped("warehouse/serve/templates/table.html", patterns)
