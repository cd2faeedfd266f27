"""`warehouse.release` on a small warehouse made here: the folder named by date and content,
a data package `frictionless` accepts, checksums that hold, byte-identical releases of the
same data, CHANGES.md between two warehouses, formula cells made inert, bad targets refused."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import duckdb
import frictionless
import pyarrow.parquet as pq
import pytest

from warehouse.build import create_warehouse
from warehouse.exports.shared import inert
from warehouse.labels import column_label
from warehouse.release.build import make_release
from warehouse.release.checksums import verify
from warehouse.release.tables import formula_starts
from warehouse.safe_write import TargetError
from warehouse.schema import TABLES

SHA_A, SHA_B, SHA_C = "a" * 64, "b" * 64, "c" * 64


def small_warehouse(
    path: Path,
    *,
    retention: int = 30,
    cameras: int = 12,
    extra: bool = False,
    location: str = "＋본청",
) -> Path:
    """Two institutions, one policy each (the second only when `extra`), camera rows."""
    con = duckdb.connect(str(path))
    create_warehouse(con, {name: schema.empty_table() for name, schema in TABLES.items()})
    con.execute(
        "INSERT INTO institutions (inst_code, name, level, crawled) VALUES "
        "('3510500', '인천광역시 미추홀구', 'gu', true), ('6110000', '서울특별시', 'sido', true),"
        "('5060000', '경상북도 김천시', 'si', true)"
    )
    con.execute(
        "INSERT INTO crawl_reports (crawl_id, inst_code, policy_found, policy_in_privacy, reason, "
        "policies, attachments, responses, not_modified, problems, last_at) VALUES "
        "('crawl-20261201T030000Z', '5060000', false, false, 'robots', 0, 0, 1, 0, 1, "
        "TIMESTAMPTZ '2026-12-01 03:00:00+00')"
    )
    con.execute(
        "CREATE TABLE validation_results AS SELECT TIMESTAMPTZ '2026-12-01 04:00:00+00' AS run_at, "
        "'cameras-errors' AS suite, 'cameras' AS table_name, "
        "'expect_column_values_to_not_be_null' AS expectation_type, 'purpose' AS column_name, "
        "'error' AS severity, false AS success, 1234::BIGINT AS unexpected_count, "
        "5000::BIGINT AS element_count, '설치목적은 비어 있을 수 없다.' AS note"
    )
    captures = [("3510500", SHA_A, "http://a.example/cctv.do")]
    if extra:
        captures.append(("6110000", SHA_B, "http://b.example/policy"))
    for n, (code, sha, url) in enumerate(captures):
        con.execute(
            "INSERT INTO captures (sha256, url, status, fetched_at, inst_code, role, "
            "warc_file, warc_offset, warc_length, record_type, crawl_id) VALUES "
            "(?, ?, 200, TIMESTAMPTZ '2026-12-01 03:00:00+00', ?, 'policy', 'c.warc.gz', ?, "
            "100, 'response', 'crawl-20261201T030000Z')",
            [sha, url, code, n * 1000],
        )
        con.execute(
            "INSERT INTO policies (inst_code, title, items_present, retention_days_min, "
            "retention_days_max, is_template, content_hash, capture_sha256, source_url, "
            "fetched_at, parser_version) VALUES (?, ?, [1,2,3,4,5,6,7,8], ?, ?, false, ?, ?, ?, "
            "TIMESTAMPTZ '2026-12-01 03:00:00+00', '1')",
            [code, '=HYPERLINK("x")', retention, retention, f"h{retention}{code}", sha, url],
        )
    con.execute(
        "INSERT INTO cameras (inst_code, unit, purpose, camera_count, location, retention_days, "
        "is_template, row_ref, capture_sha256, source_url, fetched_at, parser_version) VALUES "
        "('3510500', '총무과', '생활방범', ?, ?, ?, false, 'table 1 row 2', ?, "
        "'http://a.example/cctv.do', TIMESTAMPTZ '2026-12-01 03:00:00+00', '1')",
        [cameras, location, retention, SHA_A],
    )
    con.close()
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return small_warehouse(tmp_path / "cctv.duckdb")


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_release_is_named_checksummed_and_a_valid_data_package(
    warehouse: Path, tmp_path: Path
) -> None:
    summary = make_release(warehouse, tmp_path / "releases")
    assert re.fullmatch(r"2026-12-01-[0-9a-f]{12}", summary.name)
    root = summary.path
    assert verify(root) == []
    listed = {line.split("  ")[1] for line in (root / "SHA256SUMS").read_text().splitlines()}
    assert listed == set(files_of(root)) - {"SHA256SUMS", "release.json"}
    report = frictionless.validate(root / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "type", "note"])
    package = json.loads((root / "datapackage.json").read_text("utf-8"))
    cameras = next(r for r in package["resources"] if r["name"] == "cameras")
    count = next(f for f in cameras["schema"]["fields"] if f["name"] == "camera_count")
    assert count["title"] == column_label("cameras", "camera_count") and count["unit"] == "cameras"
    assert cameras["schema"]["primaryKey"] == ["capture_sha256", "row_ref"]
    references = {
        (k["fields"][0], k["reference"]["resource"]) for k in cameras["schema"]["foreignKeys"]
    }
    assert references == {("capture_sha256", "captures"), ("inst_code", "institutions")}
    assert {"KOGL-Type1", "public-notice"} == {lic["name"] for lic in package["licenses"]}
    readme = (root / "README.md").read_text("utf-8")
    assert summary.name in readme and "공공누리 제1유형" in readme and "MIT" in readme
    assert "2026-12-01 ~ 2026-12-01" in readme  # capture dates in KST
    assert "| 5060000 | 경상북도 김천시 | robots.txt 금지 |" in readme
    assert "실패 1건 (오류 수준 1건)" in readme and "| 1,234 |" in readme
    assert "expect_" not in readme and "| 설치목적은 비어 있을 수 없다. | 1,234 |" in readme
    meta = json.loads((root / "release.json").read_text("utf-8"))
    assert meta["validated_at"] == "2026-12-01T13:00:00+09:00"
    assert "첫 공개본" in (root / "CHANGES.md").read_text("utf-8")
    parquet = pq.read_metadata(root / "parquet" / "cameras.parquet").metadata
    described = json.loads(parquet[b"cctv:columns"])["camera_count"]
    assert described == {k: count[k] for k in ("title", "description", "unit")}
    (root / "csv" / "cameras.csv").write_bytes(b"tampered")
    assert verify(root) == ["csv/cameras.csv"]


def test_two_releases_of_the_same_warehouse_differ_only_in_release_json(
    warehouse: Path, tmp_path: Path
) -> None:
    first = make_release(warehouse, tmp_path / "one")
    second = make_release(warehouse, tmp_path / "two")
    assert first.name == second.name
    a, b = files_of(first.path), files_of(second.path)
    assert set(a) == set(b)
    assert [p for p in a if a[p] != b[p]] in ([], ["release.json"])
    again = make_release(warehouse, tmp_path / "one")  # the same data: replaced whole
    assert again.replaced and again.previous is None
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [first.name]


def test_csv_has_a_bom_and_formula_cells_are_inert(warehouse: Path, tmp_path: Path) -> None:
    root = make_release(warehouse, tmp_path / "r").path
    raw = (root / "csv" / "policies.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    row = next(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["title"] == '\'=HYPERLINK("x")'
    assert row["items_present"] == "[1,2,3,4,5,6,7,8]"
    assert row["fetched_at"] == "2026-12-01T03:00:00.000000Z"
    camera = next(
        csv.DictReader(io.StringIO((root / "csv" / "cameras.csv").read_text("utf-8-sig")))
    )
    assert camera["location"] == "'＋본청" and camera["camera_count"] == "12"
    standard = (root / "standard" / "cameras_standard_cp949.csv").read_bytes().decode("cp949")
    assert standard.startswith("개방자치단체코드,") and "총무과" not in standard
    assert "3510500" in standard


def test_formula_starts_are_what_inert_neutralises() -> None:
    starts = set(formula_starts())
    assert {"=", "+", "-", "@", "\t", "\r", "＝", "＋"} <= starts
    for char in ("a", "가", "1", "'", " "):
        assert char not in starts and inert(char + "x") == char + "x"


def test_changes_between_two_warehouses(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    before = make_release(small_warehouse(tmp_path / "a.duckdb"), out)
    after = make_release(
        small_warehouse(tmp_path / "b.duckdb", retention=90, cameras=20, extra=True), out
    )
    assert after.previous == before.name
    changes = (after.path / "CHANGES.md").read_text("utf-8")
    assert f"비교한 이전 묶음: `{before.name}`" in changes
    assert "방침이 새로 생긴 기관 1곳: 6110000 서울특별시" in changes
    assert "보관기간 최대(일) 30 → 90" in changes or "30 → 90" in changes
    assert "카메라 대수 합계: 12 → 20" in changes
    assert "### 6110000 서울특별시\n\n- 방침이 새로 생김" in changes
    assert "| 보관기간 30일 초과를 밝힌 기관 | 0 | 2 | +2 |" in changes
    assert "| 방침 쪽 | 1 | 2 | +1 |" in changes


def test_bad_targets_are_refused_and_nothing_is_written(warehouse: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target, why in (
        (mine, "묶음이 아닌 것(notes.txt)"),
        (a_file, "폴더가 아닙니다"),
        (fifo, "폴더가 아닙니다"),
        (tmp_path / "missing" / "out", "상위 폴더"),
    ):
        with pytest.raises(TargetError, match=re.escape(why)):
            make_release(warehouse, target)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert a_file.read_text("utf-8") == "keep me"
    assert not (tmp_path / "missing").exists()
    with pytest.raises(TargetError, match="묶음이 아닙니다"):
        make_release(warehouse, tmp_path / "out", previous=mine)
    assert not (tmp_path / "out").exists()


def test_a_value_cp949_cannot_hold_gives_the_utf8_standard_layout(tmp_path: Path) -> None:
    db = small_warehouse(tmp_path / "cctv.duckdb", location="본청 \U0001f4f7 1층")
    summary = make_release(db, tmp_path / "r")
    assert summary.standard_note is not None and "1번째 행" in summary.standard_note
    standard = summary.path / "standard" / "cameras_standard_utf8.csv"
    assert "본청 \U0001f4f7 1층" in standard.read_text("utf-8-sig")
    assert not (summary.path / "standard" / "cameras_standard_cp949.csv").exists()
    assert summary.standard_note in (summary.path / "README.md").read_text("utf-8")
    assert verify(summary.path) == []


def test_a_failed_release_leaves_out_as_it_was(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = make_release(warehouse, out)
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database" * 100)
    with pytest.raises(duckdb.Error):
        make_release(broken, out)
    assert [p.name for p in out.iterdir()] == [first.name]  # no temporary folder left
    assert verify(first.path) == []
    with pytest.raises(duckdb.Error):
        make_release(broken, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_a_symbolic_link_is_refused(warehouse: Path, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(TargetError, match="심볼릭 링크"):
        make_release(warehouse, tmp_path / "link")
    assert not any((tmp_path / "real").iterdir())


def test_a_damaged_previous_release_is_named_not_compared(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = make_release(warehouse, out)
    (first.path / "parquet" / "policies.parquet").write_bytes(b"damaged")
    other = small_warehouse(tmp_path / "other.duckdb", retention=60)
    second = make_release(other, out)
    assert second.previous == first.name
    changes = (second.path / "CHANGES.md").read_text("utf-8")
    assert f"이전 묶음 `{first.name}`의 표를 읽을 수 없어 비교하지 못했습니다" in changes


def test_the_package_keys_are_checked(warehouse: Path, tmp_path: Path) -> None:
    """A row whose institution the release lacks fails frictionless's checks: the keys
    datapackage.json declares are constraints, not decoration."""
    con = duckdb.connect(str(warehouse))
    con.execute(
        "INSERT INTO cameras SELECT * REPLACE ('9999999' AS inst_code, 'table 9 row 9' AS row_ref) "
        "FROM cameras"
    )
    con.close()
    report = frictionless.validate(
        make_release(warehouse, tmp_path / "r").path / "datapackage.json"
    )
    assert not report.valid
    assert {row[0] for row in report.flatten(["type"])} == {"foreign-key"}
