"""The parse cache is keyed by the parser itself: its version, code and mapping tables. A
change to any of them is a cache miss (and a rebuild), so a parser fix is never hidden by a
stale parse; `--reparse` parses everything again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import warehouse.build
import warehouse.parsing
from archive.index import read_index
from archive.paths import DataPaths, data_paths
from archive.writer import ArchiveWriter
from registry import load_registry
from tests.support import SAMPLE_SITES, archive_response, run_cctv
from warehouse.build import build, inputs_fingerprint
from warehouse.parsing import (
    TRANSFORMS_DIR,
    DocumentParser,
    parser_digest,
    parser_fingerprint,
    parser_sources,
)

PAGE = (SAMPLE_SITES / "www.michuhol.go.kr" / "policy.html").read_bytes()


@pytest.fixture
def archive(tmp_path: Path) -> DataPaths:
    with ArchiveWriter(data_paths(tmp_path), "crawl-1") as writer:
        archive_response(
            writer,
            "https://www.michuhol.go.kr/policy",
            PAGE,
            fetched_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            inst_code="3510500",
            role="policy",
        )
    return data_paths(tmp_path)


@pytest.fixture
def hashed_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The parser's files as hashed, with columns.csv replaced by a copy the test may edit."""
    copy = tmp_path / "maps" / "columns.csv"
    copy.parent.mkdir()
    shutil.copyfile(TRANSFORMS_DIR / "maps" / "columns.csv", copy)
    files = [f for f in parser_sources() if f.name != "columns.csv"] + [copy]
    monkeypatch.setattr(warehouse.parsing, "parser_sources", lambda: files)
    parser_fingerprint.cache_clear()
    yield copy
    parser_fingerprint.cache_clear()


def test_the_hashed_files_are_the_parsers_code_and_maps() -> None:
    names = {f.relative_to(TRANSFORMS_DIR).as_posix() for f in parser_sources()}
    assert {"contract.py", "grid.py", "maps/columns.csv", "maps/purposes.csv"} <= names
    assert all(n.endswith((".py", ".csv")) for n in names)


def test_one_changed_byte_in_a_copy_of_the_package_changes_the_digest(tmp_path: Path) -> None:
    copy = tmp_path / "transforms"
    shutil.copytree(TRANSFORMS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = parser_digest(parser_sources(copy), copy)
    assert parser_digest(parser_sources(copy), copy) == before  # stable
    columns = copy / "maps" / "columns.csv"
    columns.write_bytes(columns.read_bytes() + b"\n")
    assert parser_digest(parser_sources(copy), copy) != before
    code = copy / "grid.py"
    code.write_bytes(code.read_bytes() + b"# x\n")
    assert len({before, parser_digest(parser_sources(copy), copy)}) == 2


def test_unchanged_parser_hits_the_cache(archive: DataPaths, hashed_map: Path) -> None:
    [capture] = read_index(archive)
    first = DocumentParser(archive, load_registry())
    first.parse(capture)
    again = DocumentParser(archive, load_registry())
    parsed = again.parse(capture)
    assert (first.parsed, again.parsed, again.reused) == (1, 0, 1)
    assert parsed.contract["cameras"]


def test_a_changed_map_file_misses_the_cache(archive: DataPaths, hashed_map: Path) -> None:
    [capture] = read_index(archive)
    DocumentParser(archive, load_registry()).parse(capture)
    hashed_map.write_bytes(hashed_map.read_bytes().replace(b"\n", b"\r\n", 1))
    parser_fingerprint.cache_clear()
    changed = DocumentParser(archive, load_registry())
    changed.parse(capture)
    assert (changed.parsed, changed.reused) == (1, 0)


def test_a_parser_change_triggers_a_rebuild(
    archive: DataPaths, hashed_map: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = load_registry()
    build(archive, registry)
    assert build(archive, registry).up_to_date
    before = inputs_fingerprint(archive, registry)
    hashed_map.write_bytes(hashed_map.read_bytes() + b"\n")
    parser_fingerprint.cache_clear()
    assert inputs_fingerprint(archive, registry) != before
    rebuilt = build(archive, registry)
    assert not rebuilt.up_to_date and rebuilt.parsed == 1 and rebuilt.reused == 0
    assert warehouse.build.parser_fingerprint is parser_fingerprint


def test_reparse_parses_every_document_again_once(archive: DataPaths) -> None:
    registry = load_registry()
    build(archive, registry)
    reparsed = build(archive, registry, reparse=True)
    # Not skipped as up to date, and nothing taken from the cache.
    assert not reparsed.up_to_date
    assert (reparsed.parsed, reparsed.reused) == (1, 0)
    assert build(archive, registry).up_to_date


def test_a_changed_registry_misses_the_cache(archive: DataPaths) -> None:
    """A page may be named by the institutions the parser knows: other names, other parse."""
    [capture] = read_index(archive)
    registry = load_registry()
    DocumentParser(archive, registry).parse(capture)
    renamed = [
        dataclasses.replace(i, name=i.name + " (신)") if i.inst_code == "3510500" else i
        for i in registry
    ]
    again = DocumentParser(archive, renamed)
    again.parse(capture)
    assert (again.parsed, again.reused) == (1, 0)


@pytest.mark.cli
def test_cctv_build_reparse(archive: DataPaths) -> None:
    first = run_cctv("build", data_dir=archive.root)
    assert first.returncode == 0, first.stderr
    forced = run_cctv("build", "--reparse", data_dir=archive.root)
    assert forced.returncode == 0, forced.stderr
    assert "(1 parsed, 0 reused)" in forced.stderr


class _Marker:
    """Stands for anything that is not a plain container."""


def test_a_cached_parse_that_names_a_class_is_parsed_again(archive: DataPaths) -> None:
    """The cache holds plain containers only: a file that would build an object when read
    (tampered with, or not written by the build) is refused and the capture parsed anew."""
    capture = read_index(archive)[0]
    parser = DocumentParser(archive, load_registry())
    first = parser.parse(capture)
    cache = parser.dir / parser._key(capture)
    cache.write_bytes(pickle.dumps({"contract": _Marker(), "content_hash": "x"}))
    again = DocumentParser(archive, load_registry())
    assert again.parse(capture) == first
    assert (again.reused, again.parsed) == (0, 1)
    assert pickle.loads(cache.read_bytes())["content_hash"] == first.content_hash


def test_a_damaged_cache_file_is_parsed_again(archive: DataPaths) -> None:
    capture = read_index(archive)[0]
    parser = DocumentParser(archive, load_registry())
    first = parser.parse(capture)
    (parser.dir / parser._key(capture)).write_bytes(b"\x80\x05not a pickle")
    again = DocumentParser(archive, load_registry())
    assert again.parse(capture) == first and again.parsed == 1
