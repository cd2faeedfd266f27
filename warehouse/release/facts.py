"""What a release's README and CHANGES.md say about the data: the capture dates covered,
the latest validation, the institutions crawled without a policy and why, and the
national figures a reader compares from one release to the next.

Every query reads only the public tables (or `validation_results`, when the warehouse has
one), so the national figures come out the same from the warehouse and from a release's
Parquet files (`national_figures` runs on both when CHANGES.md compares two releases).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from domain.constants import KST
from warehouse.exports.shared import InstitutionNames
from warehouse.labels import MISSING, value_label

# (Korean label, SQL over the public tables): the figures CHANGES.md follows.
NATIONAL_FIGURES: tuple[tuple[str, str], ...] = (
    ("방침을 찾은 기관", "SELECT count(DISTINCT inst_code) FROM policies"),
    ("방침 쪽", "SELECT count(*) FROM policies"),
    (
        "필수 기재사항 8개를 모두 적은 방침",
        "SELECT count(*) FROM policies WHERE len(list_distinct(items_present)) >= 8",
    ),
    (
        "보관기간 30일 초과를 밝힌 기관",
        "SELECT count(DISTINCT inst_code) FROM policies WHERE retention_days_max > 30",
    ),
    ("설치 현황 행(예시 행 제외)", "SELECT count(*) FROM cameras WHERE NOT is_template"),
    (
        "방침의 카메라 대수 합계",
        "SELECT sum(camera_count) FROM cameras WHERE NOT is_template",
    ),
    ("전국CCTV표준데이터 지점", "SELECT count(*) FROM standard_points"),
    ("전국CCTV표준데이터 카메라 대수", "SELECT sum(camera_count) FROM standard_points"),
    ("품질 이슈", "SELECT count(*) FROM quality_issues"),
)


def national_figures(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    """Each national figure (None when there is nothing to add up)."""
    out: dict[str, int | None] = {}
    for label, sql in NATIONAL_FIGURES:
        row = con.execute(sql).fetchone()
        out[label] = None if row is None or row[0] is None else int(row[0])
    return out


@dataclass(frozen=True)
class Validation:
    """The latest `cctv validate` run the warehouse holds (none: `run_at` is None)."""

    run_at: str | None = None
    passed: int = 0
    failed: int = 0
    error_failures: int = 0
    failures: list[tuple[str, str, str, str, int | None]] = field(default_factory=list)
    # (severity, table, column, the rule in Korean, failing rows)


@dataclass(frozen=True)
class NoPolicy:
    inst_code: str
    name: str
    why: str


@dataclass(frozen=True)
class Facts:
    first_capture: dt.date | None
    last_capture: dt.date | None
    crawls: list[str]
    validation: Validation
    no_policy: list[NoPolicy]
    not_crawled: int
    figures: dict[str, int | None]


def _kst_date(con: duckdb.DuckDBPyConnection, sql: str) -> dt.date | None:
    row = con.execute(f"SELECT epoch_us(({sql}))").fetchone()
    if row is None or row[0] is None:
        return None
    return (
        (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=row[0]))
        .astimezone(KST)
        .date()
    )


def _validation(con: duckdb.DuckDBPyConnection, relations: set[str]) -> Validation:
    if "validation_results" not in relations:
        return Validation()
    run = con.execute(
        "SELECT strftime(max(run_at) AT TIME ZONE 'Asia/Seoul', '%Y-%m-%dT%H:%M:%S+09:00'), "
        "count(*) FILTER (success), "
        "count(*) FILTER (NOT success), count(*) FILTER (NOT success AND severity = 'error') "
        "FROM validation_results"
    ).fetchone()
    if run is None or run[0] is None:
        return Validation()
    failures = con.execute(
        # The rule as the law states it (the note), never great-expectations' identifier.
        "SELECT severity, table_name, coalesce(column_name, ''), "
        "replace(coalesce(note, '–'), '|', '/'), "
        "unexpected_count FROM validation_results WHERE NOT success ORDER BY ALL"
    ).fetchall()
    return Validation(run[0], run[1], run[2], run[3], [tuple(f) for f in failures])


_WHY_NO_POLICY = """
SELECT i.inst_code,
       (SELECT r.reason FROM crawl_reports r WHERE r.inst_code = i.inst_code
        ORDER BY r.last_at DESC NULLS LAST, r.crawl_id DESC LIMIT 1) AS reason,
       (SELECT r.policy_found FROM crawl_reports r WHERE r.inst_code = i.inst_code
        ORDER BY r.last_at DESC NULLS LAST, r.crawl_id DESC LIMIT 1) AS found
FROM (SELECT DISTINCT inst_code FROM institutions WHERE crawled) i
WHERE i.inst_code NOT IN (SELECT inst_code FROM policies WHERE inst_code IS NOT NULL)
ORDER BY i.inst_code
"""


def _no_policy(
    con: duckdb.DuckDBPyConnection, names: InstitutionNames, day: dt.date | None
) -> list[NoPolicy]:
    """Institutions the archive holds captures for but no policy was read from, and why:
    the crawl's reason, or that the page found could not be read as a policy."""
    out = []
    for code, reason, found in con.execute(_WHY_NO_POLICY).fetchall():
        if reason:
            why = value_label("reason", reason)
        elif found:
            why = "찾은 쪽을 방침으로 읽지 못함 (품질 이슈 참조)"
        elif found is None:
            why = "수집 보고 없음 (가져온 파일에 방침 없음)"
        else:
            why = "방침 링크를 찾지 못함"
        out.append(NoPolicy(code, names.on(code, day) or MISSING, why))
    return out


def release_facts(con: duckdb.DuckDBPyConnection, relations: set[str]) -> Facts:
    """Everything the README states about the warehouse behind `con`; `relations`: the
    tables the file really holds (`validation_results` only after `cctv validate`)."""
    crawls = [
        r[0]
        for r in con.execute(
            "SELECT crawl_id FROM captures WHERE crawl_id LIKE 'crawl-%' "
            "GROUP BY crawl_id ORDER BY min(fetched_at), crawl_id"
        ).fetchall()
    ]
    not_crawled = con.execute(
        "SELECT count(DISTINCT inst_code) FROM institutions WHERE inst_code NOT IN "
        "(SELECT inst_code FROM institutions WHERE crawled)"
    ).fetchone()
    # Names as of the last capture, not today: the README must not change with the calendar.
    last = _kst_date(con, "SELECT max(fetched_at) FROM captures")
    return Facts(
        first_capture=_kst_date(con, "SELECT min(fetched_at) FROM captures"),
        last_capture=last,
        crawls=crawls,
        validation=_validation(con, relations),
        no_policy=_no_policy(con, InstitutionNames.load(con), last),
        not_crawled=int(not_crawled[0]) if not_crawled else 0,
        figures=national_figures(con),
    )
