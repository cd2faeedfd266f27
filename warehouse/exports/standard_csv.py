"""The cameras in the national standard-data layout (schema B), so they load wherever that
format is accepted, in UTF-8 (with a BOM, for Excel) or cp949 (as LOCALDATA ships it)."""

from __future__ import annotations

import csv
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


def _standard_row(cam: dict[str, Any], names: InstitutionNames) -> list[str]:
    fetched = kst_time(cam["fetched_us"])
    values: dict[str, Any] = {
        "개방자치단체코드": cam["inst_code"],
        "관리기관명": names.on(cam["inst_code"], fetched.date() if fetched else None) or None,
        # Inventories give a place, not a road-name address: it is the 소재지 as stated.
        "소재지지번주소": cam["location"],
        "설치목적구분": cam["purpose"],
        "카메라대수": cam["camera_count"],
        "보관일수": cam["retention_days"],  # 0 only when stated (녹화무), never for unknown
        "관리기관전화번호": cam["phone"],
        "WGS84위도": cam["latitude"],
        "WGS84경도": cam["longitude"],
        "데이터기준일자": fetched.strftime("%Y-%m-%d") if fetched else None,
        "데이터갱신시점": fetched.strftime("%Y-%m-%d %H:%M:%S") if fetched else None,
    }
    return [_text(values.get(column)) for column in STANDARD_HEADER]


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
    """
    codec = standard_codec(encoding)
    out = Path(out)
    written = 0
    with (
        read_only_warehouse(Path(db_path)) as (con, _),
        replacing(out) as tmp,
        tmp.open("w", encoding=codec, newline="") as fh,
    ):
        names = InstitutionNames.load(con)
        writer = csv.writer(fh)
        writer.writerow(STANDARD_HEADER)
        cursor = con.execute(_CAMERAS_SQL)
        columns = [d[0] for d in cursor.description]
        while batch := cursor.fetchmany(_BATCH):  # national inventories do not fit a list
            for values in batch:
                cam = dict(zip(columns, values, strict=True))
                row = _standard_row(cam, names)
                written += 1
                if codec == "cp949":
                    _check_encodable(row, codec, written, cam)
                writer.writerow(row)
    return written
