"""The files the synthetic sites offer for download: inventories (CSV, xlsx) and whole
policies published as documents on a board (hwp, hwpx, pdf, xlsx).

Every file is built from the same `Facts` as the pages, with fixed member times and
metadata, so a seed gives the same bytes in every process.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.national_web.templates import Facts

__all__ = [
    "DISPOSITION_STYLES",
    "DOCUMENT_KINDS",
    "File",
    "disposition",
    "inventory_file",
    "policy_document",
]

DISPOSITION_STYLES = ("rfc5987", "raw_utf8", "raw_euckr")
DOCUMENT_KINDS = ("hwpx", "pdf", "xlsx", "hwp")  # how boards carry a policy, in turn
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TYPES = {
    "hwp": "application/x-hwp",
    "hwpx": "application/octet-stream",  # what most CMS download handlers send for it
    "pdf": "application/pdf",
    "xlsx": XLSX_TYPE,
}
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # fixed member times keep zip-based files stable
_W3CDTF = re.compile(rb">\d{4}-\d\d-\d\dT[\d:.]+Z?<")
_INVENTORY_HEADER = ("연번", "관리부서", "설치목적", "설치장소", "설치대수", "촬영시간", "보관기간")


@dataclass(frozen=True)
class File:
    """A download as the server sends it: bytes, Content-Type, the Korean file name."""

    body: bytes
    content_type: str
    name: str


def _inventory_rows(facts: Facts) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [_INVENTORY_HEADER]
    return rows + [(i, *item) for i, item in enumerate(facts.inventory, start=1)]


def _stable_zip(raw: bytes) -> bytes:
    """The zip with every member stamped `_ZIP_TIME` (and an xlsx's creation time fixed),
    members kept in order with their own compression (HWPX needs `mimetype` stored first)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the current time
                data = _W3CDTF.sub(b">2024-01-01T00:00:00Z<", data)
            member = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            dst.writestr(member, data, info.compress_type)
    return out.getvalue()


def _xlsx(rows: list[tuple[object, ...]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "설치현황"
    for row in rows:
        sheet.append(list(row))
    raw = io.BytesIO()
    book.save(raw)
    return _stable_zip(raw.getvalue())


def inventory_file(facts: Facts, encoding: str, as_xlsx: bool) -> File:
    """The inventory a policy page links: CSV in the site's encoding, or a workbook."""
    rows = _inventory_rows(facts)
    stem = f"{facts.short_name} 영상정보처리기기 설치현황"
    if as_xlsx:
        return File(_xlsx(rows), XLSX_TYPE, f"{stem}.xlsx")
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    wire = "cp949" if encoding == "euc-kr" else "utf-8-sig"
    return File(text.getvalue().encode(wire), f"text/csv; charset={encoding}", f"{stem}.csv")


def _document_ir(facts: Facts, title: str):  # -> hwp_converter_ai.DocumentIR
    from hwp_converter_ai import BlockNode, BlockType, DocumentIR, InlineNode, InlineType

    def paragraph(text: str) -> BlockNode:
        return BlockNode(
            type=BlockType.PARAGRAPH, children=[InlineNode(type=InlineType.TEXT, text=text)]
        )

    rows = [[str(cell) for cell in row] for row in _inventory_rows(facts)]
    cells = [{"r": r, "c": c, "text": t} for r, row in enumerate(rows) for c, t in enumerate(row)]
    table = BlockNode(
        type=BlockType.TABLE,
        metadata={"cells": cells, "n_rows": len(rows), "n_cols": len(rows[0])},
    )
    return DocumentIR(
        blocks=[
            paragraph(title),
            paragraph(
                f"{facts.short_name}은(는) 「개인정보 보호법」 제25조제7항에 따라 "
                "영상정보처리기기 운영·관리 방침을 다음과 같이 공개합니다."
            ),
            paragraph("1. 설치 대수, 설치 위치 및 촬영 범위"),
            table,
            paragraph(f"관리책임자: {facts.manager} ({facts.phone})"),
            paragraph(f"이 방침은 {facts.effective:%Y년 %m월 %d일}부터 시행합니다."),
        ]
    )


def _hwp(facts: Facts, title: str, kind: str) -> bytes:
    from hwp_converter_ai import HwpWriter, HwpxGenerator

    with tempfile.TemporaryDirectory() as folder:  # the writers only write to a path
        path = Path(folder) / f"policy.{kind}"
        writer = HwpxGenerator() if kind == "hwpx" else HwpWriter()
        writer.from_ir(_document_ir(facts, title), path)
        body = path.read_bytes()
    return _stable_zip(body) if kind == "hwpx" else body


def _hangul_font() -> Path:
    """NanumGothic as koreanize-matplotlib ships it, found without importing matplotlib."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("koreanize-matplotlib (a project dependency) is not installed")
    return Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"


def _pdf(facts: Facts, title: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", str(_hangul_font())))
    table = Table([[str(cell) for cell in row] for row in _inventory_rows(facts)])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "NanumGothic"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ]
        )
    )
    heading = ParagraphStyle("title", fontName="NanumGothic", fontSize=14)
    text = ParagraphStyle("text", fontName="NanumGothic", fontSize=10)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(
        [
            Paragraph(title, heading),
            Spacer(1, 12),
            Paragraph("1. 설치 대수, 설치 위치 및 촬영 범위", text),
            table,
            Paragraph(f"이 방침은 {facts.effective:%Y년 %m월 %d일}부터 시행합니다.", text),
        ]
    )
    return buffer.getvalue()


def policy_document(facts: Facts, kind: str) -> File:
    """A whole policy as a board attachment: title, text and the inventory table."""
    title = f"{facts.short_name} 영상정보처리기기 운영·관리방침"
    if kind in ("hwp", "hwpx"):
        body = _hwp(facts, title, kind)
    elif kind == "pdf":
        body = _pdf(facts, title)
    elif kind == "xlsx":
        body = _xlsx(_inventory_rows(facts))
    else:
        raise ValueError(f"no policy document of kind {kind!r}")
    return File(body, _TYPES[kind], f"{title}({facts.effective:%Y.%m.%d.}).{kind}")


def disposition(name: str, fallback: str, style: str = "rfc5987") -> str:
    """The header value as the server sends it. Real servers use RFC 5987 `filename*`, or
    put the name's raw UTF-8 or EUC-KR bytes in `filename`; http.server writes headers as
    Latin-1, so raw bytes are carried as the Latin-1 string of those bytes."""
    if style == "raw_utf8":
        return f'attachment; filename="{name.encode("utf-8").decode("latin-1")}"'
    if style == "raw_euckr":
        return f'attachment; filename="{name.encode("cp949").decode("latin-1")}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
