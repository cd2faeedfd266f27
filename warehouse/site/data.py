"""Everything an institution's page shows, read from the warehouse in one pass.

A page per institution for 243 institutions must not cost a query per institution, so each
section's rows are read for all institutions at once (one query per table or view) and
grouped by 기관코드 here. What comes back is plain frozen dataclasses: the renderer never
touches DuckDB, and a test can build a SiteData by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb

# How many places and messages a page lists before it sums up the rest: a city's inventory
# or its retention findings can run to thousands of rows.
PLACES_SHOWN = 30
MESSAGES_PER_CODE = 20
_LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Institution:
    """One institution under its latest name (the SCD-2 dimension's latest row)."""

    code: str
    name: str
    short_name: str | None
    level: str | None
    sido: str
    parent_code: str | None
    homepage: str | None
    crawled: bool
    valid_to: dt.date | None = None
    successor_code: str | None = None


@dataclass(frozen=True)
class Policy:
    """A policy page (or attachment read as one) of the institution."""

    title: str | None
    source_url: str | None
    fetched_at: dt.datetime | None
    capture_sha256: str
    media_type: str | None
    items_present: tuple[int, ...]
    item_statements: tuple[tuple[int, str], ...]  # (item, the page's words stating it)
    is_template: bool
    retention_min: int | None
    retention_max: int | None
    recording_hours: str | None
    storage_locations: tuple[str, ...]
    enacted_on: dt.date | None
    revised_on: dt.date | None
    stated_total: int | None
    camera_rows: int | None
    institution_name: str | None


@dataclass(frozen=True)
class Retention:
    """What the policy states and what its camera rows say (retention_by_institution)."""

    stated_min: int | None = None
    stated_max: int | None = None
    rows_with_retention: int = 0
    row_min: int | None = None
    row_median: float | None = None
    row_max: int | None = None
    rows_over_30: int = 0
    keeps_over_30_days: bool | None = None
    over_30_said_by: str | None = None


@dataclass(frozen=True)
class CountGroup:
    """Camera rows and cameras under one label (a purpose, a place); `label` None when the
    rows give none."""

    label: str | None
    rows: int
    cameras: int | None


@dataclass(frozen=True)
class StandardComparison:
    """The policy's camera total against the national standard data (policy_vs_standard)."""

    policy_rows: int | None
    policy_cameras: int | None
    standard_points: int | None
    standard_cameras: int | None
    standard_to_policy: float | None
    flag: str
    reference_date: dt.date | None = None


@dataclass(frozen=True)
class Version:
    """One version of one of the institution's policy pages (policy_versions)."""

    version: int
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    is_current: bool
    title: str | None
    items_present: tuple[int, ...]
    retention_min: int | None
    retention_max: int | None
    camera_rows: int | None
    camera_total: int | None
    captures: int | None
    source_url: str | None
    rederived_from: str | None


@dataclass(frozen=True)
class IssueGroup:
    """The quality issues of one code and level: how many, and the first messages in full."""

    level: str
    code: str
    count: int
    examples: tuple[IssueExample, ...]


@dataclass(frozen=True)
class IssueExample:
    message: str | None
    stage: str | None
    row_ref: str | None
    source_url: str | None


@dataclass(frozen=True)
class Source:
    """An archived document the page's figures come from, and where its bytes are."""

    sha256: str
    url: str | None
    fetched_at: dt.datetime | None
    media_type: str | None
    role: str | None
    warc_file: str | None
    warc_offset: int | None


@dataclass(frozen=True)
class CrawlOutcome:
    """The institution's latest crawl (crawl_reports)."""

    crawl_id: str
    policy_found: bool
    route: str | None
    reason: str | None
    first_at: dt.datetime | None


@dataclass(frozen=True)
class InstitutionData:
    """Everything one institution's page shows."""

    institution: Institution
    policies: tuple[Policy, ...] = ()
    retention: Retention = field(default_factory=Retention)
    by_purpose: tuple[CountGroup, ...] = ()
    by_place: tuple[CountGroup, ...] = ()
    places_not_shown: CountGroup | None = None
    camera_rows: int = 0
    camera_total: int | None = None
    template_rows: int = 0
    standard: StandardComparison | None = None
    versions: tuple[Version, ...] = ()
    issues: tuple[IssueGroup, ...] = ()
    sources: tuple[Source, ...] = ()
    crawl: CrawlOutcome | None = None

    @property
    def items_present(self) -> frozenset[int]:
        """Items any of its policy pages states."""
        return frozenset(i for p in self.policies for i in p.items_present)

    def statement(self, item: int) -> str | None:
        """The words of its first policy page that state `item`, if one line does."""
        return next((t for p in self.policies for n, t in p.item_statements if n == item), None)

    @property
    def stated_total(self) -> int | None:
        """The largest total its policy pages state (null when none states one)."""
        totals = [p.stated_total for p in self.policies if p.stated_total is not None]
        return max(totals) if totals else None


@dataclass(frozen=True)
class SiteData:
    """Every institution's page data, by 기관코드, and when it was read."""

    institutions: dict[str, InstitutionData]
    generated_at: dt.datetime


def load_site_data(con: duckdb.DuckDBPyConnection) -> SiteData:
    """All institution pages' data from the warehouse, one query per section."""
    grouped: dict[str, dict[str, Any]] = defaultdict(dict)
    for name, loader in _SECTIONS.items():
        for code, value in loader(con).items():
            grouped[code][name] = value
    institutions = _institutions(con)
    pages = {}
    for code, inst in institutions.items():
        sections = grouped.get(code, {})
        if inst.valid_to is not None and not sections:
            continue  # an ended code with nothing archived: its successor has the page
        pages[code] = InstitutionData(institution=inst, **_flatten(sections))
    return SiteData(pages, dt.datetime.now(dt.UTC))


def institution_codes(data: SiteData) -> list[str]:
    """The codes that get a page, by 시도 then name (광역 first within its 시도)."""
    return sorted(
        data.institutions,
        key=lambda c: (
            data.institutions[c].institution.sido,
            data.institutions[c].institution.level != "sido",
            data.institutions[c].institution.name,
            c,
        ),
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _by_code(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["inst_code"] is not None:
            grouped[row["inst_code"]].append(row)
    return grouped


def _institutions(con: duckdb.DuckDBPyConnection) -> dict[str, Institution]:
    rows = _rows(
        con,
        """
        WITH latest AS (
            SELECT * FROM institutions
            QUALIFY row_number() OVER (
                PARTITION BY inst_code ORDER BY coalesce(valid_from, DATE '0001-01-01') DESC
            ) = 1
        )
        SELECT l.inst_code, l.name, l.short_name, l.level, l.parent_code, p.name AS parent,
               l.homepage, l.crawled, l.valid_to, l.successor_code
        FROM latest l LEFT JOIN institution_names p ON p.inst_code = l.parent_code
        """,
    )
    found = {}
    for r in rows:
        sido = r["name"] if r["level"] == "sido" else r["parent"] or r["name"].split(" ")[0]
        found[r["inst_code"]] = Institution(
            code=r["inst_code"],
            name=r["name"],
            short_name=r["short_name"],
            level=r["level"],
            sido=sido,
            parent_code=r["parent_code"],
            homepage=r["homepage"] or None,
            crawled=bool(r["crawled"]),
            valid_to=r["valid_to"],
            successor_code=r["successor_code"],
        )
    return found


def _policies(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Policy, ...]]:
    rows = _rows(
        con,
        """
        WITH media AS (
            SELECT sha256, any_value(media_type) AS media_type FROM captures GROUP BY sha256
        )
        SELECT p.*, m.media_type FROM policies p LEFT JOIN media m ON m.sha256 = p.capture_sha256
        ORDER BY p.inst_code, p.fetched_at, p.source_url
        """,
    )
    return {
        code: tuple(
            Policy(
                title=r["title"],
                source_url=r["source_url"],
                fetched_at=r["fetched_at"],
                capture_sha256=r["capture_sha256"],
                media_type=r["media_type"],
                items_present=tuple(r["items_present"] or ()),
                item_statements=tuple(
                    (s["item"], s["text"]) for s in r.get("item_statements") or ()
                ),
                is_template=bool(r["is_template"]),
                retention_min=r["retention_days_min"],
                retention_max=r["retention_days_max"],
                recording_hours=r["recording_hours"],
                storage_locations=tuple(r["storage_locations"] or ()),
                enacted_on=r["enacted_on"],
                revised_on=r["revised_on"],
                stated_total=r["stated_total"],
                camera_rows=r["camera_rows"],
                institution_name=r["institution_name"],
            )
            for r in group
        )
        for code, group in _by_code(rows).items()
    }


def _retention(con: duckdb.DuckDBPyConnection) -> dict[str, Retention]:
    rows = _rows(con, "SELECT * FROM retention_by_institution")
    return {
        r["inst_code"]: Retention(
            stated_min=r["stated_retention_days_min"],
            stated_max=r["stated_retention_days_max"],
            rows_with_retention=r["rows_with_retention"],
            row_min=r["row_retention_days_min"],
            row_median=r["row_retention_days_median"],
            row_max=r["row_retention_days_max"],
            rows_over_30=r["rows_over_30_days"],
            keeps_over_30_days=r["keeps_over_30_days"],
            over_30_said_by=r["over_30_said_by"],
        )
        for r in rows
        if r["inst_code"] is not None
        and (r["stated_retention_days_max"] is not None or r["rows_with_retention"])
    }


def _cameras(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Counts by purpose and by place, totals and template rows, per institution. Places are
    ranked in SQL: only the first PLACES_SHOWN and the sum of the rest come back, since a
    city's inventory can name thousands of places."""
    rows = _rows(
        con,
        f"""
        WITH counted AS (
            SELECT inst_code, purpose, nullif(trim(location), '') AS place, camera_count
            FROM cameras WHERE NOT is_template
        ), places AS (
            SELECT inst_code, place AS label, count(*) AS n, sum(camera_count) AS cameras,
                   row_number() OVER (
                       PARTITION BY inst_code
                       ORDER BY place IS NULL, coalesce(sum(camera_count), 0) DESC,
                                count(*) DESC, place
                   ) AS rank
            FROM counted GROUP BY inst_code, place
        )
        SELECT inst_code, 'purpose' AS axis, purpose AS label, count(*) AS n,
               sum(camera_count) AS cameras, NULL::BIGINT AS places
        FROM counted GROUP BY inst_code, purpose
        UNION ALL
        SELECT inst_code, 'place', label, n, cameras, NULL FROM places
        WHERE rank <= {PLACES_SHOWN}
        UNION ALL
        SELECT inst_code, 'rest', NULL, sum(n), sum(cameras), count(*) FROM places
        WHERE rank > {PLACES_SHOWN} GROUP BY inst_code
        UNION ALL
        SELECT inst_code, 'template', NULL, count(*), NULL, NULL
        FROM cameras WHERE is_template GROUP BY inst_code
        """,
    )
    found = {}
    for code, group in _by_code(rows).items():
        purposes = _ranked(r for r in group if r["axis"] == "purpose")
        rest = [
            CountGroup(f"그 밖의 {r['places']:,}곳", int(r["n"]), _int(r["cameras"]))
            for r in group
            if r["axis"] == "rest"
        ]
        counted = [g.cameras for g in purposes if g.cameras is not None]
        found[code] = {
            "by_purpose": tuple(purposes),
            "by_place": tuple(_ranked(r for r in group if r["axis"] == "place")),
            "places_not_shown": rest[0] if rest else None,
            "camera_rows": sum(g.rows for g in purposes),
            "camera_total": sum(counted) if counted else None,
            "template_rows": sum(r["n"] for r in group if r["axis"] == "template"),
        }
    return found


def _ranked(rows: Iterable[dict[str, Any]]) -> list[CountGroup]:
    """Most cameras first; rows without a label last."""
    groups = [CountGroup(r["label"], int(r["n"]), _int(r["cameras"])) for r in rows]
    return sorted(groups, key=lambda g: (g.label is None, -(g.cameras or 0), -g.rows, g.label))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _standard(con: duckdb.DuckDBPyConnection) -> dict[str, StandardComparison]:
    rows = _rows(
        con,
        """
        SELECT v.*, s.reference_date
        FROM policy_vs_standard v
        LEFT JOIN (
            SELECT inst_code, max(reference_date) AS reference_date
            FROM standard_current GROUP BY inst_code
        ) s USING (inst_code)
        """,
    )
    return {
        r["inst_code"]: StandardComparison(
            policy_rows=_int(r["policy_rows"]),
            policy_cameras=_int(r["policy_cameras"]),
            standard_points=_int(r["standard_points"]),
            standard_cameras=_int(r["standard_cameras"]),
            standard_to_policy=r["standard_to_policy"],
            flag=r["flag"],
            reference_date=r["reference_date"],
        )
        for r in rows
        if r["inst_code"] is not None
    }


def _versions(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Version, ...]]:
    rows = _rows(con, "SELECT * FROM policy_versions ORDER BY inst_code, valid_from, version")
    return {
        code: tuple(
            Version(
                version=r["version"],
                valid_from=r["valid_from"],
                valid_to=r["valid_to"],
                is_current=bool(r["is_current"]),
                title=r["title"],
                items_present=tuple(r["items_present"] or ()),
                retention_min=r["retention_days_min"],
                retention_max=r["retention_days_max"],
                camera_rows=r["camera_rows"],
                camera_total=_int(r["camera_total"]),
                captures=r["captures"],
                source_url=r["source_url"],
                rederived_from=r["rederived_from"],
            )
            for r in group
        )
        for code, group in _by_code(rows).items()
    }


def _issues(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[IssueGroup, ...]]:
    """Per code and level the count, and the first messages in full."""
    rows = _rows(
        con,
        f"""
        SELECT inst_code, level, code, message, stage, row_ref, source_url,
               count(*) OVER (PARTITION BY inst_code, level, code) AS total
        FROM quality_issues
        WHERE inst_code IS NOT NULL
        QUALIFY row_number() OVER (
            PARTITION BY inst_code, level, code ORDER BY source_url, row_ref, message
        ) <= {MESSAGES_PER_CODE}
        """,
    )
    found = {}
    for code, group in _by_code(rows).items():
        kinds: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in group:
            kinds[(r["level"], r["code"])].append(r)
        found[code] = tuple(
            IssueGroup(
                level=level,
                code=kind,
                count=int(examples[0]["total"]),
                examples=tuple(
                    IssueExample(e["message"], e["stage"], e["row_ref"], e["source_url"])
                    for e in examples
                ),
            )
            for (level, kind), examples in sorted(
                kinds.items(), key=lambda k: (_LEVEL_ORDER.get(k[0][0], 9), k[0][1])
            )
        )
    return found


def _sources(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Source, ...]]:
    """The documents its policies and camera rows were read from, with the WARC record that
    holds each (the first that holds the payload, not a revisit)."""
    rows = _rows(
        con,
        """
        WITH used AS (
            SELECT inst_code, capture_sha256 AS sha256, min(fetched_at) AS read_at
            FROM policies GROUP BY ALL
            UNION
            SELECT inst_code, capture_sha256, min(fetched_at) FROM cameras GROUP BY ALL
        ), held AS (
            SELECT * FROM captures
            WHERE record_type IN ('response', 'resource')
            QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY fetched_at, url) = 1
        )
        SELECT u.inst_code, u.sha256, coalesce(h.url, a.url) AS url,
               u.read_at AS fetched_at, h.media_type, h.role, h.warc_file, h.warc_offset
        FROM (SELECT inst_code, sha256, min(read_at) AS read_at FROM used GROUP BY ALL) u
        LEFT JOIN held h ON h.sha256 = u.sha256
        LEFT JOIN (SELECT sha256, min(url) AS url FROM captures GROUP BY sha256) a
               ON a.sha256 = u.sha256
        WHERE u.inst_code IS NOT NULL
        ORDER BY u.inst_code, u.read_at, u.sha256
        """,
    )
    return {
        code: tuple(
            Source(
                sha256=r["sha256"],
                url=r["url"],
                fetched_at=r["fetched_at"],
                media_type=r["media_type"],
                role=r["role"],
                warc_file=r["warc_file"],
                warc_offset=r["warc_offset"],
            )
            for r in group
        )
        for code, group in _by_code(rows).items()
    }


def _crawls(con: duckdb.DuckDBPyConnection) -> dict[str, CrawlOutcome]:
    rows = _rows(
        con,
        """
        SELECT * FROM crawl_reports
        QUALIFY row_number() OVER (PARTITION BY inst_code ORDER BY crawl_id DESC) = 1
        """,
    )
    return {
        r["inst_code"]: CrawlOutcome(
            crawl_id=r["crawl_id"],
            policy_found=bool(r["policy_found"]),
            route=r["route"],
            reason=r["reason"],
            first_at=r["first_at"],
        )
        for r in rows
    }


_SECTIONS = {
    "policies": _policies,
    "retention": _retention,
    "cameras": _cameras,
    "standard": _standard,
    "versions": _versions,
    "issues": _issues,
    "sources": _sources,
    "crawl": _crawls,
}


def _flatten(sections: dict[str, Any]) -> dict[str, Any]:
    """The loaders' results as InstitutionData's fields (camera counts come as several)."""
    fields = dict(sections)
    fields.update(fields.pop("cameras", {}))
    return fields


__all__ = [
    "CountGroup",
    "CrawlOutcome",
    "Institution",
    "InstitutionData",
    "IssueExample",
    "IssueGroup",
    "Policy",
    "Retention",
    "SiteData",
    "Source",
    "StandardComparison",
    "Version",
    "institution_codes",
    "load_site_data",
]
