"""The cameras in the national standard-data layout (schema B), so they load wherever that
format is accepted, in UTF-8 (with a BOM, for Excel) or cp949 (as LOCALDATA ships it)."""

from __future__ import annotations

import csv
import datetime as dt
from itertools import chain
from pathlib import Path
from typing import Any

from warehouse.exports.shared import InstitutionNames, inert, kst_time, read_only_warehouse
from warehouse.safe_write import replacing

# Schema generation B (domain.md §2.3): the header of 행정안전부_CCTV정보 and the LOCALDATA
# bulk file, the layout the national service delivers today. Unlike schema A it carries the
# 7-digit 개방자치단체코드, so a loader keys rows on the institution code, not on a name.
STANDARD_HEADER: tuple[str, ...] = (
    "개방자치단체코드",
    "관리번호",
    "관리기관명",
    "소재지도로명주소",
    "소재지지번주소",
    "설치목적구분",
    "카메라대수",
    "카메라화소수",
    "촬영방면정보",
    "보관일수",
    "설치연월",
    "관리기관전화번호",
    "WGS84위도",
    "WGS84경도",
    "데이터기준일자",
    "데이터갱신구분",
    "데이터갱신시점",
    "최종수정시점",
)
# `encoding` argument → the codec written. UTF-8 gets a BOM: without it Excel reads the
# file as the ANSI code page and shows the Hangul as mojibake.
_ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "cp949": "cp949",
    "ms949": "cp949",
    "uhc": "cp949",
}


class ExportEncodingError(ValueError):
    """A value the chosen encoding cannot represent; names the row so it can be fixed."""

    def __init__(
        self, message: str, *, row: int, inst_code: str | None, row_ref: str | None, column: str
    ) -> None:
        super().__init__(message)
        self.row, self.inst_code, self.row_ref, self.column = row, inst_code, row_ref, column


_CAMERAS_SQL = """
SELECT inst_code, row_ref, location, purpose, camera_count, retention_days, phone,
       latitude, longitude, epoch_us(fetched_at) AS fetched_us
FROM cameras
WHERE NOT is_template
ORDER BY inst_code NULLS LAST, rowid
"""
_BATCH = 10_000
# Distinct cells remembered across batches; past this many a cache starts again, so
# memory stays bounded on a national inventory whose places are nearly all distinct.
_CACHE_LIMIT = 200_000


def _text(value: Any) -> str:
    """A CSV cell: empty for unknown (never 0), whole numbers without a decimal point,
    text made inert."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.8f}".rstrip("0").rstrip(".")  # 8 dp, as the standard's coordinates
    if isinstance(value, str):
        return inert(value)
    return str(value)


class _Cells(dict[Any, str]):
    """One column's cells by value: a value repeated down a column (a purpose, a phone, a
    code) is turned into its cell once."""

    def __missing__(self, value: Any) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        cell = self[value] = _text(value)
        return cell

    def column(self, values: list[Any]) -> list[str]:
        # Zeros bypass the cache: 0.0 and -0.0 (or Decimal 0 and -0) are one key to a dict
        # but two different cells. Unknowns (None) are cached, as the empty cell.
        return [self[v] if v or v is None else _text(v) for v in values]


class _Captures(dict[Any, tuple[dt.date | None, str, str]]):
    """A capture time (epoch microseconds) as its KST day, 데이터기준일자 and 데이터갱신시점;
    a warehouse holds few distinct capture times, so each is converted once."""

    def __missing__(self, epoch_us: int | None) -> tuple[dt.date | None, str, str]:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        fetched = kst_time(epoch_us)
        if fetched is None:
            cells: tuple[dt.date | None, str, str] = (None, "", "")
        else:
            day = fetched.strftime("%Y-%m-%d")
            cells = (fetched.date(), _text(day), _text(fetched.strftime("%Y-%m-%d %H:%M:%S")))
        self[epoch_us] = cells
        return cells


class _Names(dict[tuple[Any, dt.date | None], str]):
    """관리기관명 by (institution, capture day): the name the institution had that day,
    resolved once per pair."""

    def __init__(self, names: InstitutionNames) -> None:
        super().__init__()
        self._names = names

    def __missing__(self, key: tuple[Any, dt.date | None]) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        cell = self[key] = _text(self._names.on(*key) or None)
        return cell


def standard_codec(encoding: str) -> str:
    """The codec an `encoding` argument writes, or ValueError naming the two accepted."""
    codec = _ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if codec is None:
        raise ValueError(f"unsupported encoding {encoding!r}: use utf-8 or cp949")
    return codec


def _check_encodable(row: list[str], codec: str, number: int, cam: dict[str, Any]) -> None:
    try:
        "".join(row).encode(codec)
        return
    except UnicodeEncodeError:
        pass  # find the column, for the message
    for column, value in zip(STANDARD_HEADER, row, strict=True):
        try:
            value.encode(codec)
        except UnicodeEncodeError as exc:
            char = value[exc.start]
            raise ExportEncodingError(
                f"row {number} (institution {cam['inst_code']}, {cam['row_ref']}): "
                f"{column} {value!r} contains {char!r} (U+{ord(char):04X}), which {codec} "
                "cannot encode; export with encoding utf-8 instead",
                row=number,
                inst_code=cam["inst_code"],
                row_ref=cam["row_ref"],
                column=column,
            ) from None


def _check_batch(
    rows: list[tuple[str, ...]], codec: str, first: int, codes: list[Any], refs: list[Any]
) -> None:
    """The whole batch encoded at once; only when that fails is it searched for the first
    row and column that cannot be held, so the message names them as a row check would."""
    try:
        "".join(chain.from_iterable(rows)).encode(codec)
        return
    except UnicodeEncodeError:
        pass
    for offset, row in enumerate(rows):
        cam = {"inst_code": codes[offset], "row_ref": refs[offset]}
        _check_encodable(list(row), codec, first + offset, cam)


def export_standard(db_path: Path, out: Path, *, encoding: str = "utf-8") -> int:
    """Write the non-template camera rows as national standard data, schema B (the
    18-column 행정안전부_CCTV정보 header, domain.md §2.3); returns the rows written.

    Schema B rather than A: it is what the national service and the LOCALDATA bulk file
    deliver today, so current loaders expect it; it keys rows on 개방자치단체코드 instead
    of a free-text 관리기관명; and `cctv import` reads it back (generation G4).

    One CSV row per camera row, RFC 4180 quoting (locations contain commas). Unknown values
    are empty, never 0: 관리번호, 카메라화소수, 촬영방면정보, 설치연월, 데이터갱신구분 and
    최종수정시점 are not in the disclosures, and an invented 관리번호 would pass for an
    official one. 소재지도로명주소 stays empty because an inventory's location is a place
    description, written to 소재지지번주소. 데이터기준일자/데이터갱신시점 are the capture
    time in KST.

    encoding "utf-8" writes UTF-8 with a BOM (Excel then opens it correctly); "cp949" is
    what LOCALDATA ships. A character cp949 cannot hold (an en dash, an emoji) raises
    ExportEncodingError naming the row and column, and nothing is written: silently
    replacing it with '?' would change an address in a file meant to be loaded elsewhere.

    The rows are made a column at a time, a batch at a time (a national inventory does not
    fit a list): each distinct value, capture time and (institution, day) is turned into
    its cell once, and each batch is encoded and written in one call.
    """
    codec = standard_codec(encoding)
    out = Path(out)
    written = 0
    with (
        read_only_warehouse(Path(db_path)) as (con, _),
        replacing(out) as tmp,
        tmp.open("w", encoding=codec, newline="") as fh,
    ):
        names = _Names(InstitutionNames.load(con))
        captures = _Captures()
        cells = {name: _Cells() for name in _CELL_COLUMNS}
        writer = csv.writer(fh)
        writer.writerow(STANDARD_HEADER)
        # Closed before the connection, even on an error: an open reader would hold it.
        with con.sql(_CAMERAS_SQL).to_arrow_reader(_BATCH) as reader:
            for batch in reader:
                cam = {name: batch.column(name).to_pylist() for name in batch.schema.names}
                made = [captures[us] for us in cam["fetched_us"]]
                days = [m[0] for m in made]
                column = {name: cells[name].column(cam[name]) for name in _CELL_COLUMNS}
                blank = [""] * batch.num_rows
                rows = list(
                    zip(
                        column["inst_code"],  # 개방자치단체코드
                        blank,  # 관리번호
                        [
                            names[key] for key in zip(cam["inst_code"], days, strict=True)
                        ],  # 관리기관명
                        blank,  # 소재지도로명주소
                        column["location"],  # 소재지지번주소
                        column["purpose"],  # 설치목적구분
                        column["camera_count"],  # 카메라대수
                        blank,  # 카메라화소수
                        blank,  # 촬영방면정보
                        column["retention_days"],  # 보관일수
                        blank,  # 설치연월
                        column["phone"],  # 관리기관전화번호
                        column["latitude"],  # WGS84위도
                        column["longitude"],  # WGS84경도
                        [m[1] for m in made],  # 데이터기준일자
                        blank,  # 데이터갱신구분
                        [m[2] for m in made],  # 데이터갱신시점
                        blank,  # 최종수정시점
                        strict=True,
                    )
                )
                if codec == "cp949":
                    _check_batch(rows, codec, written + 1, cam["inst_code"], cam["row_ref"])
                writer.writerows(rows)
                written += len(rows)
    return written


# The camera columns written as they are (through _text), in the standard's order.
_CELL_COLUMNS = (
    "inst_code",
    "location",
    "purpose",
    "camera_count",
    "retention_days",
    "phone",
    "latitude",
    "longitude",
)
