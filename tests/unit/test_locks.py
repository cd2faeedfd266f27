"""The two lock files: `make demo` installs the runtime set, `make test` the dev set, and the
dev set is the runtime set plus the test and lint tools at the very same pins."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from archive.paths import PROJECT_ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
PACKAGES = ("domain", "registry", "archive", "transforms", "crawler", "warehouse", "pipelines")


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement such as ``Foo_Bar==1.0``."""
    bare = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / lock).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            pins[_name(match.group(1))] = match.group(2)
    return pins


def _project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_dev_lock_is_the_runtime_lock_plus_the_dev_tools_at_the_same_pins() -> None:
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert runtime, "requirements.lock pins nothing"
    assert {name: dev.get(name) for name in runtime} == runtime
    dev_only = set(dev) - set(runtime)
    tools = {_name(r) for r in _project()["optional-dependencies"]["dev"]}
    assert tools <= dev_only, f"dev tools in the runtime lock: {tools - dev_only}"


def test_every_declared_dependency_is_pinned_where_it_is_installed() -> None:
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    declared = {_name(r) for r in _project()["dependencies"]}
    assert declared <= set(runtime), f"not in requirements.lock: {declared - set(runtime)}"
    tools = {_name(r) for r in _project()["optional-dependencies"]["dev"]}
    assert tools <= set(dev), f"not in requirements-dev.lock: {tools - set(dev)}"


def _imported_roots(folder: Path) -> set[str]:
    roots = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                roots.add(node.module.split(".")[0])
    return roots


def test_the_installed_code_imports_no_dev_tool() -> None:
    """What `make demo` runs must not need what only `make test` installs."""
    imported = set().union(*(_imported_roots(PROJECT_ROOT / p) for p in PACKAGES))
    dev_modules = {"pytest", "hypothesis", "ruff", "xlwt", "reportlab", "importlinter"}
    assert not imported & dev_modules


def test_xlrd_is_gone() -> None:
    """python-calamine reads xls; xlrd was pinned and never imported."""
    assert "xlrd" not in _pins("requirements-dev.lock")
    assert "xlrd" not in set().union(*(_imported_roots(PROJECT_ROOT / p) for p in PACKAGES))
