"""Documents are parsed in several sandboxed workers at once and read back in order, their
camera rows travelling and cached as columns: the warehouse is the one a single worker
builds, row for row, and a worker that dies fails only its own document."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import duckdb
import pytest

import warehouse.sandbox as sandbox_module
from archive.index import read_index
from archive.paths import data_paths
from benchmarks.build_incremental import generate, institutions
from registry.institutions import InstitutionHint
from tests.unit.test_build_streamed import INVENTORY, _capture
from transforms.contract import parse_with_text
from warehouse.build import build, camera_table, current_documents
from warehouse.parsing import CameraRecords, DocumentParser, Parsed, cache_entry, camera_columns
from warehouse.sandbox import Limits, ParseSandbox, parse_workers

REGISTRY = institutions(4)
DOOMED = REGISTRY[1].inst_code  # the institution whose documents kill their worker


def _parsed_inventory() -> tuple[dict, str]:
    return parse_with_text(
        INVENTORY,
        url="https://gu.example.go.kr/FileDown.do?atchFileId=1",
        content_type="text/csv; charset=utf-8",
        institution=InstitutionHint(),
    )


def test_camera_rows_as_columns_read_back_as_the_records() -> None:
    contract, text = _parsed_inventory()
    sent, same_text = camera_columns((contract, text))
    assert same_text == text and set(sent["cameras"]) == {"columns"}
    parsed = Parsed(sent, None)
    records = parsed.contract["cameras"]
    assert isinstance(records, CameraRecords)
    assert records == contract["cameras"] and list(records) == contract["cameras"]
    assert len(records) == 3 and records[1] == contract["cameras"][1]
    assert records[-1] == contract["cameras"][-1] and records[:2] == contract["cameras"][:2]
    # The Arrow table made from the columns is the one made from the records.
    as_rows = camera_table(_capture(), Parsed(contract, None))
    assert camera_table(_capture(), parsed).equals(as_rows, check_metadata=True)


def test_an_inventory_parsed_for_the_build_hands_back_the_same_rows_as_columns() -> None:
    contract, text = _parsed_inventory()
    columnar, same_text = parse_with_text(
        INVENTORY,
        url="https://gu.example.go.kr/FileDown.do?atchFileId=1",
        content_type="text/csv; charset=utf-8",
        institution=InstitutionHint(),
        camera_columns=True,
    )
    assert same_text == text and set(columnar["cameras"]) == {"columns"}
    assert {k: v for k, v in columnar.items() if k != "cameras"} == {
        k: v for k, v in contract.items() if k != "cameras"
    }
    assert camera_columns((contract, text))[0] == columnar
    assert list(CameraRecords(columnar["cameras"]["columns"])) == contract["cameras"]


def test_rows_that_name_different_fields_stay_records() -> None:
    contract, text = _parsed_inventory()
    contract["cameras"][0] = {**contract["cameras"][0], "inst_code": "9999999"}
    sent, _ = camera_columns((contract, text))
    assert sent["cameras"] == contract["cameras"]
    assert camera_columns(({"cameras": []}, ""))[0] == {"cameras": []}


def test_columns_the_table_types_do_not_take_stay_lists() -> None:
    contract, text = _parsed_inventory()
    sent, _ = camera_columns((contract, text))
    sent["cameras"]["columns"]["camera_count"][0] = 2**40  # beyond int32
    value = pickle.loads(cache_entry((sent, text)))
    assert value["contract"]["cameras"] == sent["cameras"]  # the build says what is wrong


def test_parse_workers_follow_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCTV_PARSE_WORKERS", "3")
    assert parse_workers() == 3
    monkeypatch.setenv("CCTV_PARSE_WORKERS", "")
    assert 1 <= parse_workers() <= min(sandbox_module.MAX_WORKERS, os.cpu_count() or 1)


def _dies_for_one_institution(body: bytes, **kwargs: object) -> tuple[dict, str]:
    institution = kwargs.get("institution")
    if isinstance(institution, InstitutionHint) and institution.code == DOOMED:
        os.abort()
    return parse_with_text(body, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def dying_sandbox(monkeypatch: pytest.MonkeyPatch):
    """The build's shared worker, replaced by one whose parse aborts for one institution."""
    sandbox = ParseSandbox(Limits(seconds=60, memory_mb=1024), parse=_dies_for_one_institution)
    monkeypatch.setattr(sandbox_module, "_shared", sandbox)
    yield sandbox
    sandbox.close()


def test_results_come_back_in_order_and_a_dead_worker_fails_only_its_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dying_sandbox: ParseSandbox
) -> None:
    generate(tmp_path, REGISTRY, 30)
    paths = data_paths(tmp_path)
    documents = current_documents(read_index(paths))
    outcomes = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("CCTV_PARSE_WORKERS", workers)
        parser = DocumentParser(paths, REGISTRY, reparse=True)
        outcomes[workers] = list(parser.parse_all(documents))
        assert [capture for capture, _ in outcomes[workers]] == documents
        assert parser.parsed == len(documents) - 2
    for (capture, one), (_, two) in zip(outcomes["1"], outcomes["2"], strict=True):
        if capture.inst_code == DOOMED:
            assert isinstance(one, sandbox_module.ReaderStopped)
            assert isinstance(two, sandbox_module.ReaderStopped)
        else:
            assert isinstance(two, Parsed) and two.contract == one.contract
    assert dying_sandbox._worker is None or dying_sandbox._worker.alive()


def _warehouse(root: Path) -> dict[str, list]:
    con = duckdb.connect(str(data_paths(root).duckdb), read_only=True)
    try:
        return {
            "cameras": con.execute("SELECT * FROM cameras ORDER BY ALL").fetchall(),
            "order": con.execute("SELECT inst_code, row_ref FROM cameras").fetchall(),
            "issues": con.execute("SELECT * FROM quality_issues ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


def test_the_warehouse_is_the_same_with_one_worker_or_several(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = []
    for workers in ("1", "3"):
        root = tmp_path / workers
        generate(root, REGISTRY, 25, 40)
        monkeypatch.setenv("CCTV_PARSE_WORKERS", workers)
        report = build(data_paths(root), REGISTRY, reparse=True)
        assert not report.failed and report.parsed == 2 * len(REGISTRY)
        built.append((report.rows, _warehouse(root)))
    assert built[0] == built[1]
    # A rebuild reads the cached columns: the same warehouse again.
    report = build(data_paths(tmp_path / "3"), REGISTRY, force=True)
    assert report.reused == 2 * len(REGISTRY)
    assert (report.rows, _warehouse(tmp_path / "3")) == built[0]


def test_a_cache_entry_is_made_in_the_worker_as_the_cache_holds_it() -> None:
    contract, text = _parsed_inventory()
    value = pickle.loads(cache_entry((contract, text)))
    # The camera rows typed as the table types them, in the worker; the rest as parsed.
    assert set(value["contract"]["cameras"]) == {"arrow"}
    rest = {k: v for k, v in contract.items() if k != "cameras"}
    assert {k: v for k, v in value["contract"].items() if k != "cameras"} == rest
    read = Parsed(value["contract"], value["content_hash"])
    records = read.contract["cameras"]
    assert isinstance(records, CameraRecords) and records.table is not None
    assert len(records) == 3 and records == contract["cameras"]
    as_rows = camera_table(_capture(), Parsed(contract, None))
    assert camera_table(_capture(), read).equals(as_rows, check_metadata=True)
    assert value["content_hash"] is None  # a file has no page text
    page = (contract, "정책 본문")
    assert (
        pickle.loads(cache_entry(page))["content_hash"]
        == hashlib.sha256("정책 본문".encode()).hexdigest()
    )


def test_a_payload_is_read_and_checked_once_per_run(tmp_path: Path) -> None:
    generate(tmp_path, REGISTRY[:1], 5)
    paths = data_paths(tmp_path)
    policy = next(c for c in read_index(paths) if c.role == "policy")
    for run in range(2):
        parser = DocumentParser(paths, REGISTRY[:1])
        reads: list[str] = []
        payload = parser.reader.payload
        parser.reader.payload = lambda sha, _read=payload, _seen=reads: (
            _seen.append(sha) or _read(sha)
        )
        first, again = parser.parse(policy), parser.parse(policy)
        assert first == again
        assert reads == [policy.sha256]  # a new run reads it again, cached or not
        assert parser.reused == run + 1
