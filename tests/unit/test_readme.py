"""The README stays true where that is cheap to check: the commands, options, make targets,
modules, paths and links it names exist, and it names every table and registry override."""

from __future__ import annotations

import importlib.util
import re
from functools import cache

import typer

from archive.paths import PROJECT_ROOT
from pipelines.cli import app
from registry import OVERRIDE_COLUMNS
from warehouse.dictionary import ALL_TABLES

README = PROJECT_ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
# Folders and files the README may name that a build or a demo makes; not in a fresh clone.
_GENERATED = {"data", "build", "dist"}
_PLACEHOLDER = re.compile(r"[<>{}\[\]$…]|\.\.\.")


def _code() -> list[str]:
    """Every fenced block and every inline code span of the README."""
    return _FENCE.findall(TEXT) + _INLINE.findall(_FENCE.sub("", TEXT))


def _lines() -> list[str]:
    return [line for block in _code() for line in block.splitlines()]


@cache
def _commands() -> dict[str, object]:
    """The `cctv` subcommands, as the command-line parser sees them."""
    return dict(typer.main.get_command(app).commands)


def _options(command: object) -> set[str]:
    return {
        name
        for p in command.params
        if p.param_type_name == "option"
        for name in [*p.opts, *p.secondary_opts]
    }


def _unquoted(line: str) -> str:
    """The line without its quoted strings (SQL, URLs); an open quote ends it."""
    line = re.sub(r'"[^"]*"|\'[^\']*\'', " ", line)
    return re.split(r"[\"']", line)[0]


def test_every_cctv_subcommand_and_option_named_exists() -> None:
    commands = _commands()
    named = 0
    for line in _lines():
        line = _unquoted(line)
        found = list(re.finditer(r"(?<![\w./-])cctv\s+([a-z][a-z-]*)", line))
        ends = [n.start() for n in found[1:]] + [len(line)]
        for m, end in zip(found, ends, strict=False):
            name, rest = m.group(1), line[m.end() : end]
            assert name in commands, f"README names `cctv {name}`, which does not exist"
            named += 1
            known = _options(commands[name])
            for token in re.split(r"\s+", re.split(r"\s(?:#|&&|\||;|→)", rest)[0]):
                token = token.strip("[](),.")
                if re.fullmatch(r"--?[a-z][\w-]*(=.*)?", token):
                    option = token.split("=")[0]
                    assert option in known, f"README: `cctv {name}` has no option {option}"
    assert named >= 10  # the check reads the README at all


def test_every_make_target_named_exists() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", makefile, re.M))
    named = {m for line in _lines() for m in re.findall(r"(?<![\w-])make\s+([a-z][\w-]*)", line)}
    assert {"demo", "test"} <= named
    assert named <= targets, f"README names make targets the Makefile lacks: {named - targets}"


def test_every_module_run_with_python_m_exists() -> None:
    modules = {m for line in _lines() for m in re.findall(r"python\s+-m\s+([\w.]+)", line)}
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    assert not missing, f"README runs modules that do not exist: {missing}"


def _project_paths() -> set[str]:
    top = {p.name for p in PROJECT_ROOT.iterdir() if not p.name.startswith(".")} - _GENERATED
    found = set()
    for text in _code():
        for token in re.split(r"\s+", text):
            token = token.strip("\"'(),;:`")
            first = token.split("/", 1)[0]
            if first in top and ("/" in token or "." in token) and not _PLACEHOLDER.search(token):
                found.add(token)
    return found


def test_every_project_path_named_exists() -> None:
    paths = _project_paths()
    assert "registry/institutions.csv" in paths  # the check reads the README at all
    missing = []
    for path in sorted(paths):
        if "*" in path:
            if not list(PROJECT_ROOT.glob(path)):
                missing.append(path)
        elif not (PROJECT_ROOT / path).exists():
            missing.append(path)
    assert not missing, f"README names paths that do not exist: {missing}"


def _slug(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_leads_somewhere() -> None:
    anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", _FENCE.sub("", TEXT), re.M)}
    for target in re.findall(r"\]\(([^)\s]+)\)", TEXT):
        if target.startswith(("http://", "https://")):
            continue
        if target.startswith("#"):
            assert target[1:] in anchors, f"README links to a missing section {target}"
        else:
            assert (PROJECT_ROOT / target.split("#")[0]).exists(), f"README links to {target}"


def test_it_names_every_table_and_every_registry_override() -> None:
    spans = set(_INLINE.findall(TEXT))
    assert not [t for t in ALL_TABLES if t not in spans], "a table is missing from the README"
    assert not [c for c in OVERRIDE_COLUMNS if c not in spans], "an override column is missing"


README_KO = PROJECT_ROOT / "README.ko.md"


def test_the_korean_readme_names_only_what_exists(monkeypatch) -> None:
    """README.ko.md is held to the same checks: the commands, options, make targets, paths
    and links it names exist; and README.md links to it from its top."""
    assert "[README.ko.md](README.ko.md)" in TEXT.split("```")[0]
    monkeypatch.setitem(globals(), "TEXT", README_KO.read_text(encoding="utf-8"))
    test_every_cctv_subcommand_and_option_named_exists()
    test_every_make_target_named_exists()
    test_every_link_leads_somewhere()
    paths = _project_paths()
    assert "docs/data-dictionary.md" in paths  # the check reads the file at all
    missing = [p for p in sorted(paths) if not (PROJECT_ROOT / p).exists()]
    assert not missing, f"README.ko.md names paths that do not exist: {missing}"
