"""Policy discovery on held-out sites modelled on real Korean public bodies' markup
(tests/files/discovery_holdout/, rules in its README): one crawl of every site on 127.0.0.1,
one build, a score per site, compared with the score frozen the first time it was taken.

The frozen score is written once, by `python -m tests.integration.test_discovery_holdout
--freeze`, which refuses to overwrite it; the test only reads it. `pytest -s` prints the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.crawl_log import read_crawl_log
from archive.paths import DataPaths, data_paths
from pipelines.stages import crawl, write_registry
from registry import crawlable, load_registry
from tests.integration.test_crawl_routes import Reply, Site
from tests.support import PROJECT, REALDATA, query_warehouse
from warehouse.build import build

pytestmark = pytest.mark.server

HOLDOUT = PROJECT / "tests" / "files" / "discovery_holdout"
FROZEN = HOLDOUT / "FROZEN_SCORE.json"
HTML = "text/html; charset=utf-8"

_INCLUDE = re.compile(r'<%@\s*include\s+file="([^"]+)"\s*%>')
_JSP_TAGS = re.compile(r"<%--.*?--%>|<%.*?%>", re.S)
_EXPRESSION = re.compile(r"\$\{[^}]*\}")
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
# Another host's address on a served page (a family site, a form on law.go.kr): kept, under
# the reserved .invalid domain (RFC 2606), so that nothing the crawler follows leaves the
# machine.
_OTHER_HOST = re.compile(r"(https?://)([a-z0-9-]+(?:\.[a-z0-9-]+)*\.kr)\b", re.I)


class RealdataMissing(Exception):
    """A site serves a real page from ../shared/realdata, and the folder is absent."""


def jsp_as_served(text: str, includes: Path | None = None) -> str:
    """What a servlet container would send for a JSP source: its includes in place (from the
    site's `include/` folder), directives, scriptlets and `${…}` expressions gone."""

    def include(match: re.Match[str]) -> str:
        if includes is None:
            return ""
        part = includes / Path(match.group(1)).with_suffix(".html").name
        return part.read_text(encoding="utf-8") if part.exists() else ""

    return _EXPRESSION.sub("", _JSP_TAGS.sub("", _INCLUDE.sub(include, text)))


def realdata_text(relative: str) -> str:
    path = REALDATA / relative
    if not path.exists():
        raise RealdataMissing(f"real data not available: {path} (../shared/realdata is absent)")
    return path.read_text(encoding="utf-8")


def realdata_body(relative: str) -> str:
    """The content of a real page for a layout: the body of a whole document, or the
    fragment as it is."""
    text = jsp_as_served(realdata_text(relative))
    body = _BODY.search(text)
    return body.group(1) if body else text


def reply(site_dir: Path, spec: dict) -> Reply:
    """The local server's answer for one route of a site.json."""
    headers = tuple(spec.get("headers", {}).items())
    if "location" in spec:
        return Reply(
            status=spec["status"], content_type=HTML, headers=(("Location", spec["location"]),)
        )
    if "project_file" in spec:
        body = (PROJECT / spec["project_file"]).read_bytes()
        return Reply(body, content_type=spec["content_type"], headers=headers)
    if "realdata_jsp" in spec:
        text = jsp_as_served(realdata_text(spec["realdata_jsp"]), site_dir / "include")
    elif "jsp" in spec:
        text = jsp_as_served(
            (site_dir / spec["jsp"]).read_text(encoding="utf-8"), site_dir / "include"
        )
    else:
        text = (site_dir / spec["file"]).read_text(encoding="utf-8")
        text = text.replace("<!--title-->", spec.get("title", ""))
        for marker, part in spec.get("parts", {}).items():
            text = text.replace(marker, (site_dir / part).read_text(encoding="utf-8"))
        for marker, relative in spec.get("realdata", {}).items():
            text = text.replace(marker, realdata_body(relative))
    text = _OTHER_HOST.sub(r"\1\2.invalid", text)
    return Reply(text.encode("utf-8"), content_type=spec.get("content_type", HTML), headers=headers)


@dataclasses.dataclass
class HeldOutSite:
    """One held-out site: its ground truth and its server's answers (None when it needs real
    data that is absent, with the reason)."""

    id: str
    spec: dict
    routes: dict[str, Reply] | None
    left_out: str | None = None

    @property
    def truth(self) -> dict:
        return self.spec["truth"]


def load_sites() -> list[HeldOutSite]:
    sites = []
    for site_json in sorted(HOLDOUT.glob("*/site.json")):
        spec = json.loads(site_json.read_text(encoding="utf-8"))
        try:
            routes = {t: reply(site_json.parent, s) for t, s in spec["routes"].items()}
        except RealdataMissing as missing:
            sites.append(HeldOutSite(spec["id"], spec, None, str(missing)))
            continue
        sites.append(HeldOutSite(spec["id"], spec, routes))
    return sites


@dataclasses.dataclass
class HoldoutCrawl:
    paths: DataPaths
    sites: list[HeldOutSite]
    codes: dict[str, str]  # site id → the registry row's 기관코드
    requests: dict[str, list[str]]  # site id → what its server was asked for
    left_out: dict[str, str]  # site id → why it could not be served


def crawl_holdout(tmp: Path) -> HoldoutCrawl:
    """Every site that can be served, on its own port, crawled once as a registry of local
    rows, then built into a warehouse."""
    paths = data_paths(tmp / "data")
    every = load_sites()
    left_out = {s.id: s.left_out for s in every if s.left_out}
    sites = [s for s in every if s.routes is not None]
    if not sites:
        pytest.skip("no held-out site can be served (../shared/realdata is absent)")
    rows = crawlable(load_registry())[: len(sites)]
    servers = {s.id: Site(s.routes) for s in sites}
    for server in servers.values():
        server.__enter__()
    try:
        local = [
            dataclasses.replace(
                inst,
                homepage=servers[s.id].url(),  # a host root, as every registry row
                network="local",
                policy_url=None,
                link_text=None,
                render=None,
                valid_to=None,
            )
            for inst, s in zip(rows, sites, strict=True)
        ]
        registry = write_registry(local, tmp / "registry.csv")
        crawl(paths, registry_path=registry, fast=True, download_timeout=5)
    finally:
        for server in servers.values():
            server.__exit__()
    build(paths, load_registry(registry))
    codes = {s.id: inst.inst_code for s, inst in zip(sites, local, strict=True)}
    requests = {k: v.requests for k, v in servers.items()}
    return HoldoutCrawl(paths, sites, codes, requests, left_out)


def _target(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path or '/'}?{parts.query}" if parts.query else parts.path or "/"


def score(run: HoldoutCrawl) -> dict:
    """Per site: the pages taken as policies against the truth, the route, the cameras, the
    reason for a miss; and the totals."""
    accepted: dict[str, set[str]] = {}
    for event in read_crawl_log(run.paths):
        if event.get("event") == "policy_accepted":
            accepted.setdefault(event["inst_code"], set()).add(_target(event["url"]))
    root = run.paths.root
    stored: dict[str, set[str]] = {}
    for code, url in query_warehouse(root, "SELECT inst_code, source_url FROM policies"):
        stored.setdefault(code, set()).add(_target(url))
    reports = {
        r[0]: r[1:]
        for r in query_warehouse(
            root, "SELECT inst_code, policy_found, route, reason, policies FROM crawl_reports"
        )
    }
    cameras = dict(
        query_warehouse(root, "SELECT inst_code, sum(camera_count) FROM cameras GROUP BY 1")
    )
    sites = {}
    for site in run.sites:
        truth, code = site.truth, run.codes[site.id]
        aliases = truth.get("aliases", {})
        taken = {aliases.get(t, t) for t in accepted.get(code, set()) | stored.get(code, set())}
        found, route, reason, pages = reports.get(code, (False, None, "not_in_report", 0))
        total = cameras.get(code)
        expected = set(truth["policies"])
        found_exact = taken == expected
        cameras_ok = None if truth["cameras"] is None else total == truth["cameras"]
        if expected:
            passed = found_exact and cameras_ok is not False
        else:
            passed = not taken and reason is not None
        sites[site.id] = {
            "expected": sorted(expected),
            "taken": sorted(taken),
            "found_exact": found_exact,
            "report_policy_found": bool(found),
            "report_policies": int(pages or 0),
            "route": route,
            "route_expected": truth["route"],
            "route_ok": route == truth["route"],
            "cameras": None if total is None else int(total),
            "cameras_expected": truth["cameras"],
            "cameras_ok": cameras_ok,
            "reason": reason,
            "reason_expected": truth["reason"],
            "earlier_versions_fetched": sorted(
                set(truth["earlier_versions"]) & set(run.requests[site.id])
            ),
            "pass": passed,
        }
    with_policy = [s for s in run.sites if s.truth["policies"]]
    totals = {
        "sites": len(sites),
        "passed": sum(v["pass"] for v in sites.values()),
        "with_policy": len(with_policy),
        "found_exact": sum(sites[s.id]["found_exact"] for s in with_policy),
        "route_ok": sum(sites[s.id]["route_ok"] for s in with_policy),
        "cameras_scored": sum(s.truth["cameras"] is not None for s in with_policy),
        "cameras_ok": sum(bool(sites[s.id]["cameras_ok"]) for s in with_policy),
        "without_policy": len(sites) - len(with_policy),
        "without_policy_ok": sum(sites[s.id]["pass"] for s in run.sites if not s.truth["policies"]),
    }
    return {"sites": sites, "totals": totals, "left_out": run.left_out}


def table(result: dict) -> str:
    """The score as the terminal shows it, one line per site."""
    lines = [
        f"{'site':36} {'pass':5} {'found':6} {'route':>13} {'cameras':>9}  reason / taken",
    ]
    for site_id, s in result["sites"].items():
        cams = f"{s['cameras']}/{s['cameras_expected']}" if s["cameras_expected"] else "-"
        route = s["route"] or "-"
        detail = s["reason"] or ", ".join(s["taken"])
        lines.append(
            f"{site_id:36} {'yes' if s['pass'] else 'NO':5} {'yes' if s['found_exact'] else 'no':6}"
            f" {route:>13} {cams:>9}  {detail}"
        )
    t = result["totals"]
    lines.append(
        f"passed {t['passed']}/{t['sites']}; policies found exactly {t['found_exact']}/"
        f"{t['with_policy']}, route named as a person would {t['route_ok']}/{t['with_policy']}, "
        f"camera totals {t['cameras_ok']}/{t['cameras_scored']}; sites without a policy left "
        f"without one {t['without_policy_ok']}/{t['without_policy']}"
    )
    lines.extend(f"left out: {k}: {v}" for k, v in result["left_out"].items())
    return "\n".join(lines)


def _commit() -> dict:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=PROJECT, capture_output=True, text=True, check=True
        ).stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty_paths": git("status", "--porcelain")}


@pytest.fixture(scope="module")
def holdout_score(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    result = score(crawl_holdout(tmp_path_factory.mktemp("holdout")))
    print("\n" + table(result))
    yield result


def test_every_site_is_described_and_served_by_its_own_files() -> None:
    """Each site.json names its source, its truth and only files that exist; every policy
    the truth names is a route of the site."""
    sites = load_sites()
    assert len(sites) >= 15
    for site in sites:
        spec = site.spec
        assert spec["modelled_on"] and spec["cms_habit"] and spec["route"], site.id
        assert "/" in spec["routes"] and spec["homepage"] in spec["routes"], site.id
        truth = site.truth
        served = set(spec["routes"]) | set(truth.get("aliases", {}))
        assert set(truth["policies"]) <= served, site.id
        assert (truth["route"] is None) == (not truth["policies"]) == (truth["reason"] is not None)
        for route in spec["routes"].values():
            for key in ("file", "jsp"):
                if key in route:
                    assert (HOLDOUT / site.id / route[key]).exists(), (site.id, route[key])


@pytest.mark.slow
def test_the_blind_score_is_not_worse_than_the_frozen_one(holdout_score: dict) -> None:
    """A site that passed (or whose policies were found) when the score was frozen still
    does; the totals do not fall."""
    assert FROZEN.exists(), (
        f"{FROZEN.name} is missing: score once with "
        "`python -m tests.integration.test_discovery_holdout --freeze`"
    )
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    worse = {}
    for site_id, now in holdout_score["sites"].items():
        before = frozen["sites"].get(site_id)
        if before is None:
            continue
        if (before["pass"] and not now["pass"]) or (
            before["found_exact"] and not now["found_exact"]
        ):
            worse[site_id] = {"frozen": before, "now": now}
    assert not worse, json.dumps(worse, ensure_ascii=False, indent=1)
    comparable = set(frozen["sites"]) & set(holdout_score["sites"])
    assert sum(holdout_score["sites"][s]["pass"] for s in comparable) >= sum(
        frozen["sites"][s]["pass"] for s in comparable
    )


def freeze() -> int:
    """Score once and write FROZEN_SCORE.json; an existing frozen score is never replaced."""
    if FROZEN.exists():
        print(f"error: {FROZEN} exists; the frozen score is written once", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        result = score(crawl_holdout(Path(tmp)))
    frozen = {
        "scored_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **_commit(),
        **result,
    }
    FROZEN.write_text(json.dumps(frozen, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(result))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Score the held-out discovery sites.")
    parser.add_argument("--freeze", action="store_true", help="write FROZEN_SCORE.json once")
    args = parser.parse_args()
    if args.freeze:
        sys.exit(freeze())
    with tempfile.TemporaryDirectory() as tmp:
        print(table(score(crawl_holdout(Path(tmp)))))
