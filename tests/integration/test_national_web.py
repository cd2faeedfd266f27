"""The synthetic national web: seeded, varied, and its faults behave as the manifest says."""

from __future__ import annotations

import csv
import time
import urllib.robotparser
from collections.abc import Iterator
from html.parser import HTMLParser
from http.client import IncompleteRead
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import pytest

from crawler.national_web import NationalWeb
from crawler.national_web.generate import (
    DISPOSITION_STYLES,
    FAULT_KINDS,
    TEMPLATES,
    SiteSpec,
    generate,
    load_institutions,
)
from crawler.national_web.server import REGISTRY_COLUMNS
from crawler.registry import load_registry
from transforms.links import is_attachment_link, policy_link_score

COUNT = 20
SEED = 7
CLIENT_TIMEOUT = 0.3


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None


def _links(spec: SiteSpec, target: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(spec.routes[target].body.decode(spec.encoding))
    return parser.links


def _has_policy_link(spec: SiteSpec, target: str) -> bool:
    return any(policy_link_score(text) for _, text in _links(spec, target))


def _with(kind: str, specs: list[SiteSpec]) -> list[SiteSpec]:
    return [s for s in specs if kind in s.faults]


@pytest.fixture(scope="module")
def specs() -> list[SiteSpec]:
    return generate(load_institutions()[:COUNT], SEED)


@pytest.fixture(scope="module")
def web() -> Iterator[NationalWeb]:
    with NationalWeb(count=COUNT, seed=SEED, timeout_delay=1.0, slow_delay=0.2) as running:
        yield running


def _get(url: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    with urlopen(url, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def _http_error(url: str, timeout: float = 5.0) -> HTTPError:
    with pytest.raises(HTTPError) as caught:
        _get(url, timeout)
    caught.value.close()
    return caught.value


def test_the_default_is_every_institution_valid_on_2026_07_01() -> None:
    rows = load_institutions()
    assert len(rows) == 243
    assert len({row["inst_code"] for row in rows}) == 243


def test_same_seed_same_sites_and_faults(specs: list[SiteSpec]) -> None:
    again = generate(load_institutions()[:COUNT], SEED)
    assert again == specs
    other = generate(load_institutions()[:COUNT], SEED + 1)
    assert [s.faults for s in other] != [s.faults for s in specs]


def test_every_template_encoding_and_fault_kind_appears(specs: list[SiteSpec]) -> None:
    assert {s.template for s in specs} == {t.name for t in TEMPLATES}
    assert {s.encoding for s in specs} == {"utf-8", "euc-kr"}
    assert {kind for s in specs for kind in s.faults} == set(FAULT_KINDS)


def test_charsets_are_declared_rightly_except_where_seeded_wrong(specs: list[SiteSpec]) -> None:
    for spec in specs:
        home = spec.routes["/"]
        assert f"charset={spec.declared}" in home.content_type
        assert f"charset={spec.declared}".encode() in home.body
        assert ("wrong_charset" in spec.faults) == (spec.declared != spec.encoding)
        if spec.declared != spec.encoding:
            with pytest.raises(UnicodeDecodeError):
                home.body.decode(spec.declared, errors="strict")
        else:
            home.body.decode(spec.declared)


def test_policy_is_reachable_by_link_text_as_the_faults_say(specs: list[SiteSpec]) -> None:
    for spec in specs:
        sitemap = spec.sitemap_target
        if "policy_in_privacy" in spec.faults:
            assert not _has_policy_link(spec, "/") and not _has_policy_link(spec, sitemap)
            assert "영상정보처리기기" in spec.routes[spec.policy_target].body.decode(spec.encoding)
        elif "no_policy_link" in spec.faults:
            assert not _has_policy_link(spec, "/") and _has_policy_link(spec, sitemap)
        else:
            assert _has_policy_link(spec, "/")


def test_every_site_links_an_attachment_download(specs: list[SiteSpec]) -> None:
    for spec in specs:
        assert "FileDown.do?atchFileId=" in spec.attachment_target
        assert is_attachment_link(spec.attachment_target)
        route = spec.routes[spec.attachment_target]
        assert dict(route.headers)["Content-Disposition"].startswith("attachment; filename")
    assert {s.routes[s.attachment_target].content_type.split(";")[0] for s in specs} >= {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_faults_manifest_names_local_hosts(web: NationalWeb) -> None:
    assert set(web.homepages) == {s.inst_code for s in web.specs}
    assert set(web.faults) <= {h.split("/")[2] for h in web.homepages.values()}
    assert {kind for kinds in web.faults.values() for kind in kinds} == set(FAULT_KINDS)


def test_server_error_burst_then_success(web: NationalWeb) -> None:
    for spec in _with("server_error_burst", web.specs):
        url = web.url(spec.inst_code, spec.policy_target)
        burst = spec.routes[spec.policy_target].burst
        for _ in range(burst):
            assert _http_error(url).code == 503
        assert _get(url)[0] == 200


def test_timeout_exceeds_a_short_client_timeout(web: NationalWeb) -> None:
    spec = _with("timeout", web.specs)[0]
    with pytest.raises((TimeoutError, URLError)):
        _get(web.url(spec.inst_code, spec.policy_target), timeout=CLIENT_TIMEOUT)


def test_slow_pages_arrive_late_but_within_the_timeout(web: NationalWeb) -> None:
    spec = _with("slow", web.specs)[0]
    started = time.monotonic()
    assert _get(web.url(spec.inst_code), timeout=5.0)[0] == 200
    assert time.monotonic() - started >= web.slow_delay


def test_redirect_loop_is_stopped_by_urllib(web: NationalWeb) -> None:
    spec = _with("redirect_loop", web.specs)[0]
    error = _http_error(web.url(spec.inst_code, spec.policy_target))
    assert error.code == 302


def test_truncated_attachment_raises_incomplete_read(web: NationalWeb) -> None:
    spec = _with("truncated_file", web.specs)[0]
    with (
        urlopen(web.url(spec.inst_code, spec.attachment_target), timeout=5) as response,
        pytest.raises(IncompleteRead),
    ):
        response.read()


def test_robots_disallows_the_policy_path(web: NationalWeb) -> None:
    for spec in web.specs:
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(_get(web.url(spec.inst_code, "/robots.txt"))[2].decode().splitlines())
        allowed = robots.can_fetch("*", web.url(spec.inst_code, spec.policy_target))
        assert allowed == ("robots_disallow" not in spec.faults)


def test_attachment_download_names_survive_the_wire(web: NationalWeb) -> None:
    """Each way real servers send a Korean name: RFC 5987, raw UTF-8, raw EUC-KR bytes."""
    seen = set()
    for index, spec in enumerate(web.specs):
        if "truncated_file" in spec.faults:
            continue
        with urlopen(web.url(spec.inst_code, spec.attachment_target), timeout=5) as response:
            assert response.status == 200 and response.read()
            # http.client reads header bytes as Latin-1; undo that to get the bytes sent.
            wire = response.headers["Content-Disposition"].encode("latin-1")
        name = f"{spec.short_name} 영상정보처리기기 설치현황"
        style = DISPOSITION_STYLES[index % len(DISPOSITION_STYLES)]
        if style == "raw_utf8":
            assert name.encode("utf-8") in wire
        elif style == "raw_euckr":
            assert name.encode("cp949") in wire
        else:
            assert b"filename*=UTF-8''" in wire
        seen.add(style)
    assert seen == set(DISPOSITION_STYLES)


def test_request_log_records_every_response() -> None:
    with NationalWeb(count=COUNT, seed=SEED, timeout_delay=1.0, slow_delay=0.05) as web:
        expected: list[tuple[str, str, int]] = []
        for spec in web.specs:
            host = web.netlocs[spec.inst_code]
            for target, status in (("/", 200), ("/nowhere.do", 404)):
                if target == "/":
                    assert _get(web.url(spec.inst_code, target))[0] == status
                else:
                    assert _http_error(web.url(spec.inst_code, target)).code == status
                expected.append((host, target, status))
        assert web.requests_served == expected


def test_registry_lists_the_local_homepages(web: NationalWeb, tmp_path: Path) -> None:
    path = web.write_registry(tmp_path / "institutions.csv")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == REGISTRY_COLUMNS
    assert {r["inst_code"]: r["homepage"] for r in rows} == web.homepages
    loaded = load_registry(path)
    assert [i.inst_code for i in loaded] == [s.inst_code for s in web.specs]
