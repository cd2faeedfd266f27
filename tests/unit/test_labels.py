"""The Korean vocabulary is complete: every column of every table and view has a Korean name,
every categorical value the schema and the demo can hold has a label, and every quality-issue
code the code base emits has a title."""

from __future__ import annotations

import math
import re
from pathlib import Path

import duckdb
import pytest

from warehouse import dictionary, labels
from warehouse.labels import column_label, issue_title, item_label, tier_label, value_label
from warehouse.schema import HOMONYMS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "registry", "transforms", "archive", "crawler", "warehouse", "pipelines")
HANGUL = re.compile(r"[가-힣]")

_LEVEL = r'"(?:error|warning|info)"'
_CODE = r'"([a-z][a-z0-9_]*)"'
# The ways a finding's code is written: Issue("level", "code", …) (the level may be an
# expression), ("level", "code") pairs (crawl findings, registry identification), the
# ("code", "level", …) rows of the standard-data checks, and Note(…, "code", …) of the readers.
_EMITTED = [
    re.compile(r"\bIssue\(\s*[^,()]+?,\s*" + _CODE),
    re.compile(r"(?<![\w.])\(\s*" + _LEVEL + r",\s*" + _CODE),
    re.compile(r"(?<![\w.])\(\s*" + _CODE + r",\s*" + _LEVEL),
    re.compile(r"\bNote\(\s*(?:[^,()]+?,\s*)?" + _CODE),
    re.compile(r'"aggregate_total" if \w+ else ' + _CODE),
]
# Codes built from a value: the template and every value it can take.
_TEMPLATES = {
    'f"total_row_by_{total.reason}"': ("total_row_by_sum", "total_row_by_unlabelled"),
    'f"retention_{retention.status}"': ("retention_unparsed", "retention_absurd"),
}
_ANY_TEMPLATE = re.compile(r'\bIssue\(\s*[^,()]+?,\s*(f"[^"]*\{[^"]*")')
# Words the patterns above also match that are not codes: level names of issues.py.
_NOT_CODES = {"info", "warning", "error"}


def _sources() -> list[Path]:
    """The code base's modules, less the vocabulary itself (its comments name codes)."""
    vocabulary = ROOT / "warehouse" / "labels.py"
    return [f for p in PACKAGES for f in sorted((ROOT / p).rglob("*.py")) if f != vocabulary]


def emitted_codes() -> dict[str, set[str]]:
    """Every quality-issue code written in the source → the files that write it."""
    found: dict[str, set[str]] = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(ROOT))
        for pattern in _EMITTED:
            for code in pattern.findall(text):
                if code not in _NOT_CODES:
                    found.setdefault(code, set()).add(where)
        for template in _ANY_TEMPLATE.findall(text):
            assert template in _TEMPLATES, (
                f"{where} builds an issue code from a value ({template}): list the codes it "
                "can make in tests/unit/test_labels.py _TEMPLATES and title them"
            )
            for code in _TEMPLATES[template]:
                found.setdefault(code, set()).add(where)
    return found


def test_the_source_scan_finds_the_codes_of_every_stage() -> None:
    codes = emitted_codes()
    for code in ("coord_out_of_korea", "retention_missing", "policy_not_found", "formula_error"):
        assert code in codes, code
    assert "ko" not in codes and "severity" not in codes
    assert len(codes) > 60


def test_every_emitted_issue_code_has_a_korean_title() -> None:
    untitled = {
        code: sorted(files)
        for code, files in emitted_codes().items()
        if code not in labels.ISSUE_TITLES
    }
    assert not untitled, f"add a Korean title to warehouse/labels.py ISSUE_TITLES: {untitled}"


def test_every_crawl_problem_kind_has_a_title() -> None:
    from warehouse import crawl_report

    assert not [k for k in crawl_report._PROBLEMS if k not in labels.ISSUE_TITLES]


def test_issue_titles_are_korean_and_one_line() -> None:
    for code, title in labels.ISSUE_TITLES.items():
        assert HANGUL.search(title) and "\n" not in title, code
        assert issue_title(code) == title
    assert issue_title("no_such_code") == "no_such_code"  # shown, never hidden


def test_every_column_of_every_table_and_view_has_a_korean_name() -> None:
    unnamed = []
    for table, columns in dictionary.duckdb_types().items():
        for column, _kind in columns:
            try:
                name = column_label(table, column)
            except KeyError:
                unnamed.append(f"{table}.{column}")
                continue
            assert (name != column and HANGUL.search(name)) or name in _LATIN_NAMES, (
                f"{table}.{column} → {name}"
            )
    assert not unnamed, f"add Korean names to warehouse/labels.py: {unnamed}"


# Names that are the same in Korean usage: identifiers of formats and protocols.
_LATIN_NAMES = {"SHA-256", "URL", "ETag", "Content-Disposition"}


def test_an_unknown_column_is_an_error_not_its_english_name() -> None:
    with pytest.raises(KeyError, match=r"labels\.py"):
        column_label("cameras", "no_such_column")


def test_homonyms_are_named_per_table() -> None:
    for column in HOMONYMS:
        tables = [t for t, s in dictionary.ALL_TABLES.items() if column in s.names]
        names = {column_label(t, column) for t in tables}
        assert len(names) == len(tables), f"{column}: {tables} → {names}"


def test_standard_data_columns_keep_the_standard_headers() -> None:
    assert column_label("standard_points", "retention_days") == "보관일수"
    assert column_label("standard_points", "camera_count") == "카메라대수"
    assert column_label("standard_points", "reference_date") == "데이터기준일자"
    assert column_label("standard_current", "purpose") == "설치목적구분"
    assert column_label("cameras", "retention_days") == "보관기간(일)"
    assert column_label("cameras", "camera_count") == "카메라 대수"
    assert column_label("captures", "fetched_at") == "수집 시각"
    assert column_label("policies", "capture_sha256") == "원본 SHA-256"


def _categorical() -> list[tuple[str, str, str]]:
    """(table or view, column, description) of every column with a vocabulary of values."""
    found = []
    for table, schema in dictionary.ALL_TABLES.items():
        for f in schema:
            if labels.VALUE_KINDS.get(f.name) not in (None, labels.ISSUE):
                found.append((table, f.name, dictionary.field_doc(f)[1]))
    for view in dictionary.VIEWS:
        for column, (_unit, doc) in dictionary.view_columns(view).items():
            if labels.VALUE_KINDS.get(column) not in (None, labels.ISSUE):
                found.append((view, column, doc))
    return found


# Tokens a description names that are another column's values, not this one's.
_MENTIONED = {("captures", "role"): {"conversion"}, ("captures", "record_type"): {"status"}}


def test_every_value_the_schema_lists_has_a_korean_label() -> None:
    every_column = {c for s in dictionary.ALL_TABLES.values() for c in s.names}
    every_column |= {c for v in dictionary.VIEWS for c in dictionary.view_columns(v)}
    missing = []
    for table, column, doc in _categorical():
        vocab = labels.VALUES[labels.VALUE_KINDS[column]]
        for value in re.findall(r"`([A-Za-z0-9_]+)`", doc):
            if value in every_column or value in _MENTIONED.get((table, column), ()):
                continue
            if value not in vocab:
                missing.append(f"{table}.{column}={value}")
    assert not missing, f"add Korean labels to warehouse/labels.py VALUES: {missing}"
    assert len(_categorical()) >= 15


def test_value_labels_for_what_people_read() -> None:
    assert value_label("level", "sido") == "광역"
    assert value_label("level", "gu") == "구"
    assert [tier_label(v) for v in ("sido", "si", "gun", "gu", None)] == [
        "광역",
        "기초",
        "기초",
        "기초",
        "–",
    ]
    assert value_label("level", "error") == "오류"
    assert value_label("level", "info") == "참고"
    assert value_label("device_type", "mobile") == "이동형"
    assert value_label("recording_hours", "24h") == "24시간"
    assert value_label("recording", True) == "예"
    assert value_label("is_template", False) == "아니오"
    assert value_label("camera_count", 12.0) == "12"
    assert value_label("standard_to_policy", 0.5) == "0.5"
    assert value_label("purpose", "생활방범") == "생활방범"  # already Korean
    assert value_label("code", "coord_out_of_korea") == "좌표가 국내 범위 밖"
    assert value_label("items_present", [1, 2, 4]) == "1, 2, 4"


def test_missing_values_are_a_dash_or_not_stated() -> None:
    for missing in (None, math.nan, float("nan")):
        assert value_label("camera_count", missing) == labels.MISSING == "–"
        assert value_label("retention_days", missing) == labels.NOT_STATED == "미기재"
    assert value_label("recording_hours", None) == "미기재"
    assert value_label("storage_locations", []) == "미기재"
    assert value_label("problem_kinds", []) == "–"
    pd = pytest.importorskip("pandas")
    assert value_label("fetched_at", pd.NaT) == "–"
    assert value_label("camera_count", pd.NA) == "–"


def test_the_eight_required_items_have_the_law_s_names() -> None:
    assert sorted(labels.ITEMS) == list(range(1, 9)) == sorted(labels.ITEM_SHORT)
    assert item_label(1) == "제1호 설치 근거 및 설치 목적"
    assert item_label(4, short=True) == "제4호 촬영시간·보관기간"
    for n in range(1, 9):
        scorecard = [
            c for c in dictionary.VIEWS["policy_scorecard"].columns if c.startswith(f"item_{n}_")
        ]
        assert column_label("policy_scorecard", scorecard[0]) == item_label(n, short=True)


# Categorical columns of the demo warehouse and the vocabulary their values must be in.
_DEMO_COLUMNS = [
    (table, column)
    for table, schema in dictionary.ALL_TABLES.items()
    for column in schema.names
    if labels.VALUE_KINDS.get(column) not in (None, labels.ISSUE)
    and (table, column) != ("contacts", "role")  # 보호책임자, …: already Korean
] + [("policy_vs_standard", "flag"), ("retention_by_institution", "over_30_said_by")]


@pytest.mark.cli
def test_every_categorical_value_in_the_demo_has_a_label(demo_data: Path) -> None:
    con = duckdb.connect(str(demo_data / "warehouse" / "cctv.duckdb"), read_only=True)
    try:
        missing, seen = [], 0
        for table, column in _DEMO_COLUMNS:
            vocab = labels.VALUES[labels.VALUE_KINDS[column]]
            values = con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall()
            for (value,) in values:
                if value is None:
                    continue
                seen += 1
                if value not in vocab:
                    missing.append(f"{table}.{column}={value}")
        codes = con.execute("SELECT DISTINCT code FROM quality_issues").fetchall()
    finally:
        con.close()
    assert seen >= 15
    assert not missing, f"add Korean labels to warehouse/labels.py VALUES: {missing}"
    assert all(code in labels.ISSUE_TITLES for (code,) in codes), codes
