"""Exports under attack: crawled text that a spreadsheet would run as a formula, and output
paths that a rename would destroy (devices, FIFOs, sockets, symbolic links, directories),
a missing folder, a failed write. Each case checks the clear error or the inert cell, and
that nothing already on disk changed."""

from __future__ import annotations

import csv
import errno
import os
import re
import socket
import stat
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.unit.test_export import (
    STANDARD_SQL,
    _camera,
    _issue,
    _policy,
    make_warehouse,
    sample_tables,
)
from warehouse import safe_write
from warehouse.exports import standard_csv
from warehouse.exports.shared import inert
from warehouse.exports.sheet import EXCEL_CELL_CHARS
from warehouse.exports.standard_csv import export_standard
from warehouse.exports.workbook import export_excel
from warehouse.safe_write import TargetError, WriteFailed, check_target, replacing

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "@SUM(1)",
    "+1",
    "-1+2",
    "\t=1",
    "\r=1",
    "＝1+1",  # full-width: NFKC folds it into "="
]
ESC = "\x1b[2J"
LONG = "가" * (EXCEL_CELL_CHARS + 10)
EVIL_URL = '=HYPERLINK("http://evil","click")'


def hostile_tables() -> dict[str, list[dict[str, Any]]]:
    """The sample warehouse with formula text in every crawled-text column an export shows:
    institution names, policy titles, locations, purposes, phones, issue messages, row
    references, source URLs; and a negative number, an error-looking text, ESC, a long cell."""
    tables = sample_tables()
    tables["institutions"].append(
        {"inst_code": "9999999", "name": HOSTILE[0], "level": "other", "crawled": True}
    )
    for n, text in enumerate(HOSTILE):
        tables["cameras"].append(
            _camera(
                "gsx",
                "9999999",
                text,
                location=text,
                purpose=HOSTILE[(n + 1) % len(HOSTILE)],
                phone=HOSTILE[(n + 2) % len(HOSTILE)],
                camera_count=n + 1,
                retention_days=-3 if n == 0 else 30,
                recording=True,
            )
        )
    tables["cameras"].append(_camera("gsx", "9999999", "#N/A", location="#N/A", camera_count=1))
    tables["cameras"].append(_camera("gsx", "9999999", "esc", location=f"a{ESC}b\x00c"))
    tables["policies"].append(
        {
            **_policy("gs", "9999999", [1, 2], False, -3, 30),
            "title": HOSTILE[0],
            "source_url": EVIL_URL,
        }
    )
    tables["policies"].append({**_policy("gs", "9999999", [1], False, 1, 2), "title": LONG})
    for text in HOSTILE:
        tables["quality_issues"].append(
            {**_issue("warning", text, "9999999", "gs"), "message": text, "row_ref": text}
        )
    return tables


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    view = (
        'CREATE OR REPLACE VIEW policy_vs_standard AS SELECT inst_code, 1 AS "=1+1", '
        "2 AS standard_total, -0.5 AS ratio FROM institutions"
    )
    return make_warehouse(tmp_path / "cctv.duckdb", hostile_tables(), STANDARD_SQL[0], view)


def live(text: str) -> bool:
    """Would a spreadsheet treat this text as a formula (OWASP's list, NFKC-folded)?"""
    return bool(text) and (text[0] in "=+-@\t\r" or text[0] in "＝＋－＠")


# ---------------------------------------------------------------------------- formulas


def test_inert_escapes_formula_text_and_leaves_everything_else() -> None:
    for text in [*HOSTILE, "-", "﹦1", "＠x"]:
        assert inert(text) == "'" + text
    for value in ("32-880", "정문 앞", "", "'=already", " =1", -3, 2.5, None):
        assert inert(value) == value


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_standard_csv_carries_no_live_formula(hostile: Path, tmp_path: Path, encoding: str) -> None:
    out = tmp_path / f"standard-{encoding}.csv"
    export_standard(hostile, out, encoding=encoding)
    codec = "utf-8-sig" if encoding == "utf-8" else "cp949"
    with out.open(encoding=codec, newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [c for r in rows for c in r]
    assert [c for c in cells if live(c)] == ["-3"]  # the one number, below
    assert rows[0] == list(standard_csv.STANDARD_HEADER)
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    mine = [r for r in records if r["개방자치단체코드"] == "9999999"]
    assert [r["소재지지번주소"] for r in mine[: len(HOSTILE)]] == ["'" + t for t in HOSTILE]
    assert mine[0]["관리기관명"] == "'" + HOSTILE[0]
    assert mine[0]["설치목적구분"] == "'" + HOSTILE[1] and mine[0]["관리기관전화번호"] == "'+1"
    assert mine[0]["보관일수"] == "-3"  # a number stays a number
    raw = out.read_bytes().decode(codec)
    assert "\n-3," not in raw and ",-3," in raw  # written bare, not quoted or escaped
    assert mine[-2]["소재지지번주소"] == "#N/A"  # not a formula: kept as text


def _sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        }


def test_workbook_carries_no_live_formula_on_any_sheet(hostile: Path, tmp_path: Path) -> None:
    out = export_excel(hostile, tmp_path / "compare.xlsx")
    # Only the conditional formats hold formulas; no cell does.
    for name, xml in _sheet_xml(out).items():
        assert "<f>" not in xml and "<f " not in xml, name
        assert 't="e"' not in xml, name  # "#N/A" text is not an error value
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:6] == [
        "기관별 비교",
        "보관기간",
        "필수항목",
        "품질이슈",
        "재고 대조",
        "출처",
    ]
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.append(c.value)
                    assert not live(c.value), (ws.title, c.coordinate, c.value)
    for text in HOSTILE:
        assert "'" + text in texts
    assert "'=1+1" in [c.value for c in wb["재고 대조"][1]]  # a header from a view column
    assert "'" + EVIL_URL in texts  # 필수항목 and 출처: a source URL
    coverage = wb["필수항목"]
    titles = [c.value for c in coverage["C"]]
    assert "'" + HOSTILE[0] in titles
    long_title = next(t for t in titles if t and t.startswith("가가"))
    assert len(long_title) == EXCEL_CELL_CHARS and long_title.endswith("…")
    ws = wb["기관별 비교"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "9999999")
    assert row[1].value == "'" + HOSTILE[0]  # 기관명
    assert row[6].value == -3 and row[6].data_type == "n"  # 보관기간 최소: a negative number
    stock = wb["재고 대조"]
    ratios = [c for c in stock["D"][1:] if c.value is not None]
    assert ratios and all(c.data_type == "n" and c.value == -0.5 for c in ratios)


def test_workbook_control_characters_become_visible_text(tmp_path: Path) -> None:
    tables = sample_tables()
    tables["policies"][0]["title"] = f"방침{ESC}\x07\x00끝"
    db = make_warehouse(tmp_path / "cctv.duckdb", tables)
    wb = openpyxl.load_workbook(export_excel(db, tmp_path / "c.xlsx"))
    titles = [c.value for c in wb["필수항목"]["C"]]
    assert "방침\\x1b[2J\\x07\\x00끝" in titles


# ---------------------------------------------------------------------------- targets


@contextmanager
def unchanged(path: Path) -> Iterator[None]:
    """The path's type, mode and (for a file) bytes are the same after the block."""

    def state() -> tuple:
        found = os.lstat(path)
        body = path.read_bytes() if stat.S_ISREG(found.st_mode) else None
        link = os.readlink(path) if stat.S_ISLNK(found.st_mode) else None
        return stat.S_IFMT(found.st_mode), stat.S_IMODE(found.st_mode), body, link

    before = state()
    yield
    assert state() == before


def no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text
    return text


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_a_device_is_refused(warehouse_db: Path, device: str) -> None:
    with unchanged(Path(device)), pytest.raises(TargetError) as caught:
        export_standard(warehouse_db, Path(device))
    assert (
        _one_line(caught.value)
        == f"{device} is a character device, not a regular file; nothing written"
    )


def test_a_fifo_is_refused_without_opening_it(warehouse_db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with unchanged(fifo), pytest.raises(TargetError, match=r"named pipe \(FIFO\)"):
        export_excel(warehouse_db, fifo)  # opening it to write would wait for a reader
    no_leftovers(tmp_path)


def test_a_socket_is_refused(warehouse_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with unchanged(path), pytest.raises(TargetError, match="is a socket"):
            export_standard(warehouse_db, path)


def test_a_symlink_is_refused_even_to_a_regular_file(warehouse_db: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.xlsx"
    dangling.symlink_to(tmp_path / "nowhere.xlsx")
    with unchanged(link), unchanged(real), pytest.raises(TargetError) as caught:
        export_standard(warehouse_db, link)
    assert _one_line(caught.value) == (
        f"{link} is a symbolic link (to {real}), a regular file: give the file's own path, "
        "or remove the link; nothing written"
    )
    with unchanged(dangling), pytest.raises(TargetError, match="which leads nowhere"):
        export_excel(warehouse_db, dangling)
    assert not (tmp_path / "nowhere.xlsx").exists()
    no_leftovers(tmp_path)


def test_a_directory_is_refused(warehouse_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    with pytest.raises(TargetError, match="is a directory: give a file name"):
        export_excel(warehouse_db, folder)
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_a_missing_folder_is_named_not_created(warehouse_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "x.csv"
    with pytest.raises(TargetError) as caught:
        export_standard(warehouse_db, out)
    assert f"the folder {out.parent} does not exist (create it first)" in _one_line(caught.value)
    assert not (tmp_path / "no").exists()


def test_a_folder_that_is_a_file_is_named(warehouse_db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "report.txt"
    blocker.write_text("x", encoding="utf-8")
    for out in (blocker / "x.csv", blocker / "deeper" / "x.csv"):
        with unchanged(blocker), pytest.raises(TargetError) as caught:
            export_standard(warehouse_db, out)
        assert f"{blocker} is a file, not a folder" in _one_line(caught.value)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_a_new_file_follows_the_umask(warehouse_db: Path, tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        csv_out = tmp_path / "new.csv"
        xlsx_out = tmp_path / "new.xlsx"
        export_standard(warehouse_db, csv_out)
        export_excel(warehouse_db, xlsx_out)
    finally:
        os.umask(old)
    for out in (csv_out, xlsx_out):
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_a_replaced_file_keeps_its_mode(warehouse_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "old.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o604)
    assert check_target(out).replaces and not check_target(tmp_path / "new.csv").replaces
    export_standard(warehouse_db, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert out.read_text(encoding="utf-8-sig").startswith("개방자치단체코드")
    no_leftovers(tmp_path)


_CSV_WRITER = csv.writer


class _FullDisk:
    """A csv writer whose disk fills up after `rows` rows."""

    def __init__(self, fh: Any, rows: int) -> None:
        self._writer, self._left = _CSV_WRITER(fh), rows

    def writerow(self, row: list[str]) -> None:
        if self._left == 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._left -= 1
        self._writer.writerow(row)

    def writerows(self, rows: Iterable[list[str]]) -> None:
        for row in rows:
            self.writerow(row)


def test_a_full_disk_midway_leaves_the_old_file(
    warehouse_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "cameras.csv"
    out.write_text("the export of last week", encoding="utf-8")
    monkeypatch.setattr(standard_csv.csv, "writer", lambda fh: _FullDisk(fh, 3), raising=True)
    with unchanged(out), pytest.raises(WriteFailed) as caught:
        export_standard(warehouse_db, out)
    assert _one_line(caught.value) == (
        f"cannot write {out}: No space left on device; {out} is unchanged"
    )
    no_leftovers(tmp_path)


def test_a_full_disk_while_saving_the_workbook(
    warehouse_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "new.xlsx"
    real_write = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        real_write(self, data[:100])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(WriteFailed, match="No space left on device; nothing written"):
        export_excel(warehouse_db, out)
    assert not out.exists()
    no_leftovers(tmp_path)


def test_a_read_only_folder_is_one_error(
    warehouse_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root writes through chmod 0o500, so the file system's refusal is raised where the
    # temporary file is made, as a read-only mount raises it.
    def refuse(**_: Any) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", refuse)
    with pytest.raises(WriteFailed) as caught:
        export_standard(warehouse_db, tmp_path / "x.csv")
    assert _one_line(caught.value) == (
        f"cannot write {tmp_path / 'x.csv'}: Read-only file system; nothing written"
    )


def test_a_symlink_swapped_in_while_writing_is_not_replaced(
    warehouse_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "c.xlsx"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    real_write = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        written = real_write(self, data)
        out.symlink_to(victim)  # someone else's link appears at the target meanwhile
        return written

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(TargetError, match="symbolic link"):
        export_excel(warehouse_db, out)
    assert out.is_symlink() and victim.read_text(encoding="utf-8") == "precious"
    no_leftovers(tmp_path)


def test_replacing_removes_the_temporary_file_on_any_error(tmp_path: Path) -> None:
    out = tmp_path / "x.txt"
    with pytest.raises(RuntimeError), replacing(out) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("the writer broke")
    assert not out.exists()
    no_leftovers(tmp_path)
    assert re.fullmatch(r"\.x\.txt-.+\.part", tmp.name)


@pytest.fixture
def warehouse_db(tmp_path: Path) -> Path:
    folder = tmp_path / "wh"
    folder.mkdir()
    return make_warehouse(folder / "cctv.duckdb")


def test_a_long_name_is_written_and_a_too_long_one_is_one_error(
    warehouse_db: Path, tmp_path: Path
) -> None:
    longest = tmp_path / ("가" * 80 + ".csv")  # 244 bytes: the temporary name must fit too
    assert export_standard(warehouse_db, longest) == 5
    too_long = tmp_path / ("x" * 300 + ".csv")
    with pytest.raises(WriteFailed) as caught:
        export_standard(warehouse_db, too_long)
    assert _one_line(caught.value).endswith(": File name too long")
    no_leftovers(tmp_path)
