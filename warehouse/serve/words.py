"""The Korean words for what Datasette says in Python rather than in its templates.

Datasette 0.65 has no translations: its filter operators, its description of a filtered
table ("where … sorted by …"), its facet kinds and its error messages are English strings
made in code. The JSON API keeps them as they are (people compare it with DuckDB); the
pages read these instead, given to every template by the `extra_template_vars` hook.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from datasette import hookimpl

from warehouse.serve.queries import SINCE

# Datasette's filter operators (`Filters.lookups()` keys) in words.
LOOKUPS = {
    "exact": "같음 (=)",
    "not": "같지 않음 (≠)",
    "contains": "포함",
    "endswith": "끝남",
    "startswith": "시작함",
    "gt": "초과 (>)",
    "gte": "이상 (≥)",
    "lt": "미만 (<)",
    "lte": "이하 (≤)",
    "like": "LIKE 패턴",
    "notlike": "LIKE 패턴 아님",
    "glob": "GLOB 패턴",
    "in": "목록 중 하나",
    "notin": "목록에 없음",
    "arraycontains": "배열에 있음",
    "arraynotcontains": "배열에 없음",
    "date": "날짜",
    "isnull": "값 없음",
    "notnull": "값 있음",
    "isblank": "비어 있음",
    "notblank": "비어 있지 않음",
}
# The canned queries' named parameters, as the form asks for them.
PARAMETERS = {SINCE: "이 날짜 이후 (YYYY-MM-DD)"}
# What the operators without an argument say of a column.
_NO_ARGUMENT = {"isnull", "notnull", "isblank", "notblank"}
ROWID = "행 번호"  # SQLite's rowid, the key of a table without a primary key
FACET_KINDS = {"column": "열", "array": "배열", "date": "날짜"}
# Datasette's error titles and messages, and what a page says instead.
ERRORS = {
    "Database not found": "데이터베이스를 찾을 수 없습니다.",
    "Table not found": "표를 찾을 수 없습니다.",
    "Record not found": "행을 찾을 수 없습니다.",
    "Query not found": "쿼리를 찾을 수 없습니다.",
    "Database download is forbidden": "데이터베이스 파일은 내려받을 수 없습니다. 공개본(릴리스)을 "
    "받으세요.",
    "Database is immutable": "읽기 전용 데이터베이스입니다.",
    "Permission denied": "권한이 없습니다.",
    "Statement must be a SELECT": "SELECT 문만 실행할 수 있습니다.",
    "Invalid SQL": "실행할 수 없는 SQL",
    "SQL Interrupted": "SQL이 시간 제한을 넘겨 중단되었습니다",
    "Forbidden": "허용되지 않음",
}
STATUS = {
    400: "잘못된 요청",
    403: "허용되지 않음",
    404: "찾을 수 없음",
    405: "받지 않는 요청 방식",
    500: "서버 오류",
}


def error_text(message: Any, lead: str = "요청을 처리하지 못했습니다") -> Any:
    """Datasette's error message in Korean where it is one of its own; an engine's message
    (SQLite's, which names the table or column) is kept, after a Korean lead."""
    text = str(message or "").strip()
    if text in ERRORS:
        return ERRORS[text]
    for english, korean in ERRORS.items():
        if text.startswith(english + ":"):
            return f"{korean} ({text[len(english) + 1 :].strip()})"
    if message and not text.isascii():
        return message
    return f"{lead}: {message}" if text else f"{lead}."


def error_title(title: str | None, status: int) -> str:
    """The error page's heading: Datasette's title in Korean, else the status in words."""
    if title:
        return ERRORS.get(title, title)
    return f"오류 {status}" + (f" – {STATUS[status]}" if status in STATUS else "")


def _quoted(value: str) -> str:
    return f"“{value}”"


def describe(
    selections: Iterable[tuple[str, str, str]],
    columns: Mapping[str, str] | None = None,
    *,
    search: str | None = None,
    sort: str | None = None,
    sort_desc: str | None = None,
) -> str:
    """What a filtered, searched or sorted table shows, in words: Datasette's
    `human_description_en` said in Korean, each column by its Korean name."""
    names = {"rowid": ROWID, **(columns or {})}
    parts = [f"검색어 {_quoted(search)}"] if search else []
    for column, lookup, value in selections:
        name = names.get(column) or column
        operator = LOOKUPS.get(lookup, lookup)
        if lookup in _NO_ARGUMENT:
            parts.append(f"{name}: {operator}")
        else:
            parts.append(f"{name} {operator} {_quoted(value)}")
    said = "조건: " + ", ".join(parts) if parts else ""
    order = sort or sort_desc
    if order:
        direction = "내림차순" if sort_desc else "오름차순"
        said = f"{said} · " if said else ""
        said += f"{names.get(order) or order} {direction} 정렬"
    return said


@hookimpl
def extra_template_vars(datasette: Any) -> dict[str, Any]:
    """The Korean words the overridden templates use, and any table's metadata (a row page
    names the tables that link to it by their titles)."""
    return {
        "ko_table_meta": datasette.table_metadata,
        "ko_parameters": PARAMETERS,
        "ko_lookups": LOOKUPS,
        "ko_facet_kinds": FACET_KINDS,
        "ko_rowid": ROWID,
        "ko_describe": describe,
        "ko_error": error_text,
        "ko_error_title": error_title,
    }
