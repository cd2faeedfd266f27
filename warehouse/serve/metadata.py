"""Datasette's metadata for the copy: Korean titles and descriptions of the database and
each table, every column's Korean name and unit (from the data dictionary's field metadata
and `column_label`), the facets people group by, the label column of each link target, and
the regulators' canned queries."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from archive.captures import CAPTURES
from warehouse.labels import VALUES, column_label, unit_label
from warehouse.release.tables import table_title as public_table_title
from warehouse.schema import INSTITUTIONS, TABLES, VALIDATION_RESULTS
from warehouse.serve.copy import DATABASE, DIRECTORY, DOCUMENTS, VALIDATION
from warehouse.serve.queries import canned_queries

TITLE = "전국 공공기관 CCTV 운영·관리 방침"
DESCRIPTION = (
    "각 기관이 누리집에 공개한 영상정보처리기기 운영·관리 방침을 수집해 보관본(WARC)으로 "
    "남기고, 그 내용을 읽어 낸 표입니다. 읽기만 할 수 있습니다. 모든 행은 출처 URL과 원본 "
    "문서(SHA-256)로 이어지며, 시각은 모두 UTC입니다. 열의 뜻은 자료 사전"
    "(docs/data-dictionary.md)에 있습니다."
)
SOURCE = "각 기관 누리집의 영상정보처리기기 운영·관리 방침, 전국CCTV표준데이터"

# The Korean names of the tables only the copy has (the views, the link targets); the
# public tables are named as the release names them.
TITLES = {
    DIRECTORY: "기관 목록",
    DOCUMENTS: "원본 문서",
    VALIDATION: "검증 결과",
    "policy_scorecard": "방침 점검표",
    "item_coverage": "필수 기재사항 기재 현황",
    "retention_by_institution": "기관별 보관기간",
    "retention_over_30_days": "30일 넘게 보관하는 기관",
    "retention_by_source": "출처별 보관기간",
    "policy_vs_standard": "방침과 표준데이터의 카메라 대수",
    "standard_by_institution": "기관별 표준데이터",
    "cameras_by_purpose": "설치 목적별 카메라 대수",
}
_OVER_30 = "30일은 표준 개인정보 보호지침의 기본값으로, 더 살펴볼 표시일 뿐 법정 한도가 아닙니다."
DESCRIPTIONS = {
    DIRECTORY: "기관코드마다 한 행: 최신 이름, 시·도, 기관 구분. 다른 표의 기관코드가 이 표로 "
    "이어집니다.",
    DOCUMENTS: "보관본에 든 문서마다 한 행(SHA-256): 처음 수집한 URL과 시각, 본문이 든 WARC "
    "파일과 그 안의 위치. 다른 표의 원본 SHA-256이 이 표로 이어집니다.",
    "institutions": "기관코드와 이름의 유효기간마다 한 행: 수집 대상 기관과 모든 지방자치단체.",
    "captures": "보관된 응답마다 한 행: URL, HTTP 상태, 수집 시각, WARC 파일 안의 위치. 실패한 "
    "응답(4xx/5xx)과 리다이렉트도 들어 있습니다.",
    "policies": "방침 페이지마다 한 행: 시행령 제25조제1항의 기재 항목, 보관기간, 촬영시간, "
    "보관장소, 제정·개정일.",
    "cameras": "설치 현황의 행마다 한 행(방침 본문의 표와 첨부파일): 설치 목적, 대수, 위치, "
    "보관기간.",
    "contacts": "방침이 밝힌 보호책임자, 관리책임자, 접근권한자, 담당자.",
    "contractors": "방침이 밝힌 수탁업체.",
    "quality_issues": "수집·해석·구축에서 찾은 문제마다 한 행, 일어난 곳과 함께.",
    "policy_versions": "기관의 방침 페이지마다 본문이 바뀔 때 새 판이 생깁니다.",
    "aggregates": "기관이 공개한 집계표(자치구×설치 목적 등)의 숫자마다 한 행.",
    "crawl_reports": "수집 회차와 기관마다 한 행: 방침을 찾았는지, 어떤 경로로, 못 찾았다면 왜.",
    "standard_points": "전국CCTV표준데이터의 설치 지점마다 한 행(모든 세대의 파일).",
    VALIDATION: "마지막으로 돌린 검증의 규칙마다 한 행: 심각도, 통과 여부, 위반 행 수. 검증을 "
    "돌린 웨어하우스에만 있습니다.",
    "policy_scorecard": "방침 페이지마다 한 행: 필수 기재사항 제1–7호, 서식 여부, 보관기간, 설치 "
    "현황, 기관의 품질 이슈.",
    "item_coverage": "방침 페이지마다 다룬 기재 항목과 빠진 항목.",
    "retention_by_institution": "기관마다 방침이 밝힌 보관기간과 카메라 행의 보관기간. " + _OVER_30,
    "retention_over_30_days": "방침이나 카메라 행이 30일 넘게 보관한다고 밝힌 기관. " + _OVER_30,
    "retention_by_source": "기관마다 방침, 카메라 행, 현행 표준데이터의 보관기간.",
    "policy_vs_standard": "기관마다 방침과 현행 표준데이터의 카메라 대수, 그리고 대조 결과. "
    "표준데이터는 실외 공공목적 카메라만 담으므로 표준데이터가 방침보다 적은 것이 "
    "정상입니다.",
    "standard_by_institution": "현행 표준데이터의 기관별 지점 수, 카메라 대수, 보관일수.",
    "cameras_by_purpose": "기관과 설치 목적마다 카메라 행 수와 대수(서식 행 제외).",
}
FACETS = (
    "region",
    "institution_level",
    "purpose",
    "retention_class",
    "level",
    "code",
    "severity",
)
ISSUE_FACETS = ("level", "code")
LABEL_COLUMNS = {DIRECTORY: "name", DOCUMENTS: "url"}
# Where the derived tables' columns are described in the data dictionary.
_LIKE = {DIRECTORY: INSTITUTIONS, DOCUMENTS: CAPTURES, VALIDATION: VALIDATION_RESULTS}


def table_title(name: str) -> str:
    """The table's Korean title: the release's name for a public table, else the copy's."""
    return TITLES.get(name) or public_table_title(name)


def _units(name: str) -> dict[str, str | None]:
    """Each column's unit from the data dictionary (tables' field metadata, views' entries)."""
    from warehouse.dictionary import field_doc, view_columns

    schema: pa.Schema | None = TABLES.get(name) or _LIKE.get(name)
    if schema is not None:
        return {f.name: field_doc(f)[0] for f in schema}
    return {column: unit for column, (unit, _doc) in view_columns(name).items()}


def column_description(table: str, column: str, unit: str | None) -> str:
    """The column's Korean name, and its unit where the dictionary gives one in Korean."""
    name = column_label(table, column)
    if unit and unit in VALUES["unit"] and unit_label(unit) not in name:
        return f"{name} (단위: {unit_label(unit)})"
    return name


def table_metadata(name: str, columns: list[str]) -> dict[str, Any]:
    """Title, description, column names, facets and label column of one table."""
    units = _units(name)
    found: dict[str, Any] = {
        "title": table_title(name),
        "description": DESCRIPTIONS[name],
        "columns": {c: column_description(name, c, units.get(c)) for c in columns},
    }
    # `level` and `code` are facets only of the issues (elsewhere `level` is a raw code).
    facets = [
        c for c in FACETS if c in columns and (c not in ISSUE_FACETS or name == "quality_issues")
    ]
    if facets:
        found["facets"] = facets
    if name in LABEL_COLUMNS:
        found["label_column"] = LABEL_COLUMNS[name]
    return found


def metadata(tables: dict[str, list[str]]) -> dict[str, Any]:
    """The whole metadata document Datasette is given, for the copy's tables and columns."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": SOURCE,
        "databases": {
            DATABASE: {
                "title": TITLE,
                "description": DESCRIPTION,
                "source": SOURCE,
                "tables": {name: table_metadata(name, cols) for name, cols in tables.items()},
                "queries": {
                    q.name: {
                        "title": q.title,
                        "description": q.description,
                        "sql": q.sql,
                        **({"params": list(q.params)} if q.params else {}),
                    }
                    for q in canned_queries()
                },
            }
        },
    }
