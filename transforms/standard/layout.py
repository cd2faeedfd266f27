"""Headers of the national CCTV standard data (전국CCTV표준데이터) → generation + canonical columns.

The same facts have shipped under four file headers and the OpenAPI's field names
(../shared/realdata/PROVENANCE.md §1, domain.md §2):

- G1 (2017–19 per-institution files): 13 columns, `설치년월`, plain `위도`/`경도`;
- G2 (localdata 2022–24): `번호` + G1 with `설치연월` and `WGS84위도`/`WGS84경도`;
- G3 (2024): `개방자치단체코드`, `관리번호` + G2's 13 + `최종수정시점` (16);
- G4 (2025–26): G3 with `데이터갱신구분`, `데이터갱신시점` before `최종수정시점` (18);
- api: `institutionNm`, `rdnmadr`, … (tn_pubr_public_cctv_api).

G1/G2 may carry the standard trailer `제공기관코드,제공기관명` of every 공공데이터 제공표준 file.
A header made only of standard names but matching none of these (a subset, another order:
the 성남시 extract) is generation "partial": its rows are loaded, and the broken header
contract (domain.md §6 rule 14) is reported. A header with any name that is not a standard
column is refused with `StandardHeaderError`, which names every such column: guessing what
an unknown column holds would put wrong values into the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.text import compact

# Source header (compact form) → canonical column.
HEADER_NAMES: dict[str, str] = {
    "번호": "source_no",
    "개방자치단체코드": "open_inst_code",
    "관리번호": "mgmt_no",
    "관리기관명": "inst_name",
    "소재지도로명주소": "address_road",
    "소재지지번주소": "address_jibun",
    "설치목적구분": "purpose",
    "카메라대수": "camera_count",
    "카메라화소수": "pixels_10k",
    "촬영방면정보": "direction_text",
    "보관일수": "retention_days",
    "설치연월": "installed_ym",
    "설치년월": "installed_ym",
    "관리기관전화번호": "phone",
    "위도": "latitude",
    "WGS84위도": "latitude",
    "경도": "longitude",
    "WGS84경도": "longitude",
    "데이터기준일자": "reference_date",
    "데이터갱신구분": "update_type",
    "데이터갱신시점": "updated_at",
    "최종수정시점": "modified_at",
    "제공기관코드": "provider_code",
    "제공기관명": "provider_name",
}
# OpenAPI field → canonical column (some clients spell the camera count `cameraCo`).
API_FIELDS: dict[str, str] = {
    "institutionNm": "inst_name",
    "rdnmadr": "address_road",
    "lnmadr": "address_jibun",
    "installationPurpsType": "purpose",
    "cctvNumber": "camera_count",
    "cameraCo": "camera_count",
    "cctvPixel": "pixels_10k",
    "potogrfInfo": "direction_text",
    "cstdyDay": "retention_days",
    "installationYymm": "installed_ym",
    "phoneNumber": "phone",
    "latitude": "latitude",
    "longitude": "longitude",
    "referenceDate": "reference_date",
    "insttCode": "provider_code",
    "insttNm": "provider_name",
}
# Canonical column → the label people know it by, for messages.
LABELS: dict[str, str] = {
    "source_no": "번호",
    "open_inst_code": "개방자치단체코드",
    "mgmt_no": "관리번호",
    "inst_name": "관리기관명",
    "address_road": "소재지도로명주소",
    "address_jibun": "소재지지번주소",
    "purpose": "설치목적구분",
    "camera_count": "카메라대수",
    "pixels_10k": "카메라화소수",
    "direction_text": "촬영방면정보",
    "retention_days": "보관일수",
    "installed_ym": "설치연월",
    "phone": "관리기관전화번호",
    "latitude": "위도",
    "longitude": "경도",
    "reference_date": "데이터기준일자",
    "update_type": "데이터갱신구분",
    "updated_at": "데이터갱신시점",
    "modified_at": "최종수정시점",
    "provider_code": "제공기관코드",
    "provider_name": "제공기관명",
}
CANONICAL_COLUMNS: tuple[str, ...] = tuple(LABELS)

CORE: tuple[str, ...] = (
    "inst_name",
    "address_road",
    "address_jibun",
    "purpose",
    "camera_count",
    "pixels_10k",
    "direction_text",
    "retention_days",
    "installed_ym",
    "phone",
    "latitude",
    "longitude",
    "reference_date",
)
TRAILER: tuple[str, ...] = ("provider_code", "provider_name")
GENERATIONS: dict[str, tuple[str, ...]] = {
    "G1": CORE,
    "G2": ("source_no", *CORE),
    "G3": ("open_inst_code", "mgmt_no", *CORE, "modified_at"),
    "G4": ("open_inst_code", "mgmt_no", *CORE, "update_type", "updated_at", "modified_at"),
}
# The 설치연월 form each generation documents; another form is normalised and noted.
INSTALLED_FORMATS: dict[str, str] = {
    "G1": "YYYY-MM",
    "G2": "YYYY-MM",
    "G3": "YYYYMM",
    "G4": "YYYYMM",
    "api": "YYYY-MM",
}
# Without a camera count and some location, a row says nothing worth loading.
_LOCATION = ("address_road", "address_jibun", "latitude")


class StandardHeaderError(ValueError):
    """A header that is not the standard data; `unmapped` lists the columns not understood."""

    def __init__(self, message: str, unmapped: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.unmapped = unmapped


@dataclass(frozen=True)
class Layout:
    """What a header is: its generation and, per source column, the canonical column."""

    generation: str  # "G1".."G4", "api" or "partial"
    columns: tuple[str | None, ...]  # None: an ignored trailing blank header cell
    conformant: bool  # exactly a documented header (rule 14)
    missing: tuple[str, ...] = ()  # core columns a partial header lacks

    @property
    def present(self) -> frozenset[str]:
        return frozenset(c for c in self.columns if c)

    @property
    def installed_format(self) -> str | None:
        return INSTALLED_FORMATS.get(self.generation)

    def contract_message(self) -> str | None:
        """Why the header breaks the contract, or None for a documented header."""
        if self.conformant:
            return None
        parts = []
        if self.missing:
            parts.append("빠진 열: " + ", ".join(LABELS[c] for c in self.missing))
        core_order = [c for c in self.columns if c in CORE]
        if core_order != [c for c in CORE if c in core_order]:
            parts.append("열 순서가 표준과 다름")
        detail = "; ".join(parts) or "문서화된 열 목록이 아님"
        return f"머리글이 어느 표준 세대(G1–G4)와도 맞지 않음: {detail}"


def _clean(name: str) -> str:
    return compact(name.replace("\ufeff", "").strip().strip('"').strip("'"))


def _trim_trailing_blanks(names: list[str]) -> list[str]:
    cleaned = [_clean(n) for n in names]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return cleaned


def _duplicates(columns: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for c in columns:
        if c in seen and c not in repeated:
            repeated.append(c)
        seen.add(c)
    return repeated


def _check_minimum(columns: list[str], where: str) -> None:
    lacking = []
    if "camera_count" not in columns:
        lacking.append(LABELS["camera_count"])
    if not any(c in columns for c in _LOCATION):
        lacking.append("an address or coordinate column")
    if lacking:
        raise StandardHeaderError(f"{where} lacks {' and '.join(lacking)}: not standard data")


def detect_layout(header: list[str]) -> Layout:
    """The generation of a file header; StandardHeaderError when a column is not standard."""
    names = _trim_trailing_blanks(header)
    if not names:
        raise StandardHeaderError("empty header: not standard data")
    unmapped = tuple(
        header[i].strip() or f"(blank column {i + 1})"
        for i, n in enumerate(names)
        if n not in HEADER_NAMES
    )
    if unmapped:
        raise StandardHeaderError(
            f"header has {len(unmapped)} column(s) that are not standard-data columns: "
            + ", ".join(repr(u) for u in unmapped),
            unmapped,
        )
    columns = [HEADER_NAMES[n] for n in names]
    if repeated := _duplicates(columns):
        raise StandardHeaderError(
            "header repeats column(s): " + ", ".join(LABELS[c] for c in repeated)
        )
    padded = tuple(columns) + (None,) * (len(header) - len(columns))
    for generation, template in GENERATIONS.items():
        body = columns[: len(template)]
        rest = columns[len(template) :]
        if body == list(template) and rest in ([], list(TRAILER)):
            if rest and generation not in ("G1", "G2"):
                break
            return Layout(generation, padded, conformant=True)
    _check_minimum(columns, "header")
    missing = tuple(c for c in CORE if c not in columns)
    return Layout("partial", padded, conformant=False, missing=missing)


def detect_api_layout(fields: list[str]) -> Layout:
    """The layout of OpenAPI records from their field names (any order)."""
    unmapped = tuple(f for f in fields if f not in API_FIELDS)
    if unmapped:
        raise StandardHeaderError(
            f"records have {len(unmapped)} field(s) that are not standard-data API fields: "
            + ", ".join(repr(u) for u in unmapped),
            unmapped,
        )
    columns = [API_FIELDS[f] for f in fields]
    if repeated := _duplicates(columns):
        raise StandardHeaderError(
            "records repeat field(s) for: " + ", ".join(LABELS[c] for c in repeated)
        )
    _check_minimum(columns, "records")
    missing = tuple(c for c in CORE if c not in columns)
    return Layout("api", tuple(columns), conformant=True, missing=missing)
