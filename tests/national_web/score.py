"""Score a crawl of the simulated national web against its ground truth, route by route.

For each site the warehouse of the crawl is compared with what a careful reader finds
there (`SiteTruth`): were exactly the policies in force counted (no earlier version, no
decoy), do the camera totals on the policy pages and in their files match, does
`crawl_reports` name the route the policy was found by, and, where no policy may be
found, is the reason named (in a `crawl_reports` reason column or a crawl finding in
`quality_issues`). Every site must end as its route expects; `shortfalls` lists the routes
where some do not.

    python -m tests.national_web.score                # crawl the whole web, build, score
    python -m tests.national_web.score --data-dir D   # the same, kept in D; or, when D
                                                        # holds a built crawl, score that

The crawl and the build run as a user runs them (`python -m crawler.run`, then
`python -m pipelines.cli build`), each in a process of its own, so this module imports
nothing above the crawler; it reads the warehouse with DuckDB.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from tests.national_web.routes import ROUTES
from tests.national_web.truth import SiteTruth

__all__ = [
    "REASON_WORDS",
    "Observed",
    "RouteScore",
    "Verdict",
    "judge",
    "observe",
    "score",
    "shortfalls",
    "table",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The spellings a report may use for each reason (truth.REASONS), matched on the value
# lower-cased with everything but letters and digits removed.
REASON_WORDS: dict[str, tuple[str, ...]] = {
    "robots": ("robots",),
    "timeout": ("timeout", "timedout"),
    "redirect_loop": ("redirect",),
    "http_status": ("http", "status", "5xx", "503", "servererror"),
    "blocked_user_agent": ("useragent", "blocked", "403", "forbidden"),
    "browser_unsupported": ("browser", "unsupported"),
    "needs_js": ("needsjs", "jsonly", "javascript", "needsscript", "render"),
    "not_a_policy": ("notapolicy", "notpolicy", "vocabulary", "nopolicytext", "loginpage"),
    "no_link": ("nolink", "notfound", "nopolicylink", "nopolicy"),
}


def _flat(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.lower())


def _category(value: str) -> str:
    """A route as a report may spell it: `script link`, `script_link`, `privacy page`."""
    flat = _flat(value)
    return flat[: -len("page")] if flat.endswith("page") and flat != "page" else flat


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass
class Observed:
    """What the warehouse of a crawl says, per institution."""

    policies: dict[str, set[str]] = field(default_factory=dict)  # targets counted as policies
    page_cameras: dict[str, int] = field(default_factory=dict)
    file_cameras: dict[str, int] = field(default_factory=dict)
    routes: dict[str, str] = field(default_factory=dict)  # crawl_reports' route, if any
    reasons: dict[str, set[str]] = field(default_factory=dict)  # reasons and crawl findings


def observe(duckdb_path: Path | str) -> Observed:
    """Read the warehouse at `duckdb_path` (read-only)."""
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        seen = Observed()
        for inst, url in con.execute("SELECT inst_code, source_url FROM policies").fetchall():
            seen.policies.setdefault(inst, set()).add(_target(url))
        for inst, total in con.execute(
            "SELECT c.inst_code, sum(c.camera_count) FROM cameras c "
            "WHERE c.source_kind = 'page' AND NOT c.is_template AND c.capture_sha256 IN "
            "(SELECT p.capture_sha256 FROM policies p WHERE p.inst_code = c.inst_code) "
            "GROUP BY ALL"
        ).fetchall():
            seen.page_cameras[inst] = int(total or 0)
        for inst, total in con.execute(
            "SELECT inst_code, sum(camera_count) FROM cameras "
            "WHERE source_kind = 'attachment' AND NOT is_template GROUP BY ALL"
        ).fetchall():
            seen.file_cameras[inst] = int(total or 0)
        columns = [row[0] for row in con.execute("DESCRIBE crawl_reports").fetchall()]
        route = next((c for c in columns if "route" in c), None)
        reasons = [c for c in columns if "reason" in c]
        picked = ", ".join(f'"{c}"' for c in [route, *reasons] if c) or "NULL"
        for inst, *values in con.execute(
            f"SELECT inst_code, {picked} FROM crawl_reports ORDER BY crawl_id"
        ).fetchall():  # the latest crawl last, so its values stay
            if route is not None:
                seen.routes[inst] = str(values.pop(0) or "")
            seen.reasons[inst] = {str(v) for value in values for v in _values(value)}
        for inst, code in con.execute(
            "SELECT DISTINCT inst_code, code FROM quality_issues "
            "WHERE stage = 'crawl' AND inst_code IS NOT NULL"
        ).fetchall():
            seen.reasons.setdefault(inst, set()).add(code)
        return seen
    finally:
        con.close()


def _values(value: object) -> Iterable[object]:
    if value is None:
        return ()
    return value if isinstance(value, list | tuple) else (value,)


@dataclass(frozen=True)
class Verdict:
    """How one site came out."""

    inst_code: str
    route: str
    expected: str  # found, missed or either (a browser route resolved)
    found: bool  # exactly the policies in force counted, both camera totals right
    route_named: bool  # found, and crawl_reports names the route rightly
    reason_named: bool  # nothing counted, and the reason named
    wrong: tuple[str, ...]  # targets counted that are no policy in force
    detail: str

    @property
    def as_expected(self) -> bool:
        if self.expected == "found":
            return self.route_named
        if self.expected == "missed":
            return self.reason_named
        return self.route_named or self.reason_named


def judge(inst: str, truth: SiteTruth, seen: Observed, *, browser: bool = False) -> Verdict:
    """One site's crawl against what is there. `browser`: the crawl renders pages that
    need script, so `browser` routes are expected found."""
    counted = seen.policies.get(inst, set())
    pages = seen.page_cameras.get(inst, 0)
    files = seen.file_cameras.get(inst, 0)
    found = (
        bool(truth.policies)
        and counted == set(truth.policies)
        and pages == truth.page_cameras
        and files == truth.file_cameras
    )
    named = _category(seen.routes.get(inst, ""))
    route_named = found and named in {_category(c) for c in truth.categories}
    words = REASON_WORDS.get(truth.reason or "", ())
    flat = {_flat(r) for r in seen.reasons.get(inst, set())}
    reason_named = not counted and any(w in r for w in words for r in flat)
    expected = truth.outcome
    if expected == "browser":
        expected = "found" if browser else "missed"
    detail = (
        f"counted {sorted(counted)} (want {sorted(truth.policies)}), cameras on pages "
        f"{pages} (want {truth.page_cameras}), in files {files} (want {truth.file_cameras}), "
        f"route {seen.routes.get(inst)!r} (want {sorted(truth.categories)}), reasons "
        f"{sorted(seen.reasons.get(inst, set()))} (want {truth.reason})"
    )
    return Verdict(
        inst_code=inst,
        route=truth.route,
        expected=expected,
        found=found,
        route_named=route_named,
        reason_named=reason_named,
        wrong=tuple(sorted(counted - set(truth.policies))),
        detail=detail,
    )


@dataclass
class RouteScore:
    """One route's sites and how they came out."""

    route: str
    expected: str
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def sites(self) -> int:
        return len(self.verdicts)

    def count(self, what: str) -> int:
        if what == "wrong":
            return sum(bool(v.wrong) for v in self.verdicts)
        return sum(bool(getattr(v, what)) for v in self.verdicts)


def score(
    truths: Mapping[str, SiteTruth], seen: Observed, *, browser: bool = False
) -> list[RouteScore]:
    """Verdicts grouped by route, in the order of `ROUTES`."""
    order = {kind.name: n for n, kind in enumerate(ROUTES)}
    scores: dict[str, RouteScore] = {}
    for inst, truth in truths.items():
        verdict = judge(inst, truth, seen, browser=browser)
        scores.setdefault(truth.route, RouteScore(truth.route, verdict.expected))
        scores[truth.route].verdicts.append(verdict)
    return sorted(scores.values(), key=lambda s: order.get(s.route, len(order)))


_COLUMNS = (
    ("route", 24),
    ("sites", 5),
    ("expect", 7),
    ("found", 5),
    ("route named", 11),
    ("reason named", 12),
    ("counted wrong", 13),
    ("as expected", 11),
)


def table(scores: list[RouteScore]) -> str:
    """The per-route table: sites, how many found (exactly the policies in force, totals
    right), with the route named, with nothing counted and the reason named, with a page
    counted that is no policy in force, and as the route expects."""

    def line(cells: Iterable[object]) -> str:
        parts = [
            str(cell).ljust(width) if n == 0 else str(cell).rjust(width)
            for n, (cell, (_, width)) in enumerate(zip(cells, _COLUMNS, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rows = [line(name for name, _ in _COLUMNS), line("-" * width for _, width in _COLUMNS)]
    measures = ("found", "route_named", "reason_named", "wrong", "as_expected")
    for s in scores:
        rows.append(line([s.route, s.sites, s.expected, *(s.count(m) for m in measures)]))
    totals = [sum(s.count(m) for s in scores) for m in measures]
    rows.append(line("-" * width for _, width in _COLUMNS))
    rows.append(line(["all", sum(s.sites for s in scores), "", *totals]))
    return "\n".join(rows)


def shortfalls(scores: list[RouteScore], examples: int = 2) -> list[str]:
    """One line per route where some site did not end as its route expects, with the
    first few of those sites and what the crawl made of them."""
    lines = []
    for s in scores:
        missed = [v for v in s.verdicts if not v.as_expected]
        if missed:
            lines.append(
                f"{s.route}: {s.sites - len(missed)} of {s.sites} sites as expected "
                f"({s.expected}); e.g. "
                + "; ".join(f"{v.inst_code}: {v.detail}" for v in missed[:examples])
            )
    return lines


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SystemExit(f"error: the {what} failed (exit {done.returncode}): {last[0]}")


def _crawl_and_build(
    data_dir: Path, count: int | None, seed: int, render: bool
) -> dict[str, SiteTruth]:
    """Serve the web, crawl it with the project's spider into `data_dir` (the sites drawn by
    script rendered in a browser when `render`), build there."""
    from tests.national_web.server import NationalWeb

    data_dir.mkdir(parents=True, exist_ok=True)
    with NationalWeb(count=count, seed=seed, timeout_delay=3.0, slow_delay=0.2) as web:
        registry = web.write_registry(data_dir / "national-registry.csv", render=render)
        crawl_id = datetime.now(UTC).strftime("crawl-%Y%m%dT%H%M%S%fZ")
        log = data_dir / f"{crawl_id}.scrapy.log"
        _run(
            [sys.executable, "-m", "crawler.run", "--data-dir", str(data_dir),
             "--crawl-id", crawl_id, "--registry", str(registry), "--fast",
             "--download-timeout", "1.5", "--log-file", str(log)],
            "crawl",
        )  # fmt: skip
        truths = web.truth
    _run(
        [sys.executable, "-m", "pipelines.cli", "build", "--registry", str(registry),
         "--data-dir", str(data_dir), "--quiet"],
        "build",
    )  # fmt: skip
    return truths


def _truths(count: int | None, seed: int) -> dict[str, SiteTruth]:
    from tests.national_web.generate import generate, load_institutions

    rows = load_institutions()
    specs = generate(rows if count is None else rows[:count], seed)
    return {s.inst_code: s.truth for s in specs}


def _score_in(data_dir: Path, args: argparse.Namespace) -> int:
    warehouse = data_dir / "warehouse" / "cctv.duckdb"
    if warehouse.is_file():  # a crawl of the web with this count and seed, built
        truths = _truths(args.count, args.seed)
    else:
        truths = _crawl_and_build(data_dir, args.count, args.seed, args.browser)
    scores = score(truths, observe(warehouse), browser=args.browser)
    print(table(scores))
    for line in shortfalls(scores, examples=1):
        print(line, file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="score the warehouse built there, or crawl and build there first (default: a "
        "temporary folder)",
    )
    parser.add_argument("--count", type=int, default=None, help="sites (default: all 243)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--browser",
        action="store_true",
        help="crawl with the sites drawn by script marked render=js (or: the crawl in "
        "--data-dir did), and expect their policies found",
    )
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        return _score_in(args.data_dir, args)
    with tempfile.TemporaryDirectory(prefix="national-score-") as folder:
        return _score_in(Path(folder), args)


if __name__ == "__main__":
    sys.exit(main())
