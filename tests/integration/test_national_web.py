"""The synthetic national web: seeded, varied, its faults behave as the manifest says, and
every route to the policy that real sites use is on its share of sites, built as the route
says, with a ground truth that the pages (and the project's own parser) bear out."""

from __future__ import annotations

import csv
import json
import re
import time
import urllib.robotparser
from collections import Counter
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from http.client import IncompleteRead
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pytest

from registry import load_registry
from tests.national_web import NationalWeb
from tests.national_web.generate import (
    DISPOSITION_STYLES,
    FAULT_KINDS,
    ROUTES,
    TEMPLATES,
    SiteSpec,
    generate,
    load_institutions,
)
from tests.national_web.routes.links import WORDINGS
from tests.national_web.server import REGISTRY_COLUMNS, is_browser
from transforms.contract import parse_document
from transforms.links import is_attachment_link, policy_link_score

pytestmark = pytest.mark.server

COUNT = 20
SEED = 7
CLIENT_TIMEOUT = 0.3
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
# Words only the policy's own text has (a notice or a login page mentions CCTV, never these).
POLICY_FACTS = re.compile(r"보관기간|촬영시간|설치대수|관리책임자")


class _Markup(HTMLParser):
    """Links (`<a>` and image-map `<area>`) with their text and attributes, frames, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, dict[str, str]]] = []
        self.frames: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._open: tuple[dict[str, str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a":
            self._open = (values, [])
        elif tag == "area":
            self.links.append((values.get("href", ""), "", values))
        elif tag in ("frame", "iframe"):
            self.frames.append(values.get("src", ""))
        elif tag == "script" and values.get("src"):
            self.scripts.append(values["src"])
        elif tag == "img" and self._open is not None:
            self._open[0].setdefault("img_alt", values.get("alt", ""))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            values, text = self._open
            self.links.append((values.get("href", ""), "".join(text).strip(), values))
            self._open = None


def _markup(spec: SiteSpec, target: str) -> _Markup:
    parser = _Markup()
    parser.feed(spec.answers[target].body.decode(spec.encoding))
    return parser


def _links(spec: SiteSpec, target: str) -> list[tuple[str, str]]:
    return [(href, text) for href, text, _ in _markup(spec, target).links]


def _has_policy_link(spec: SiteSpec, target: str) -> bool:
    return any(policy_link_score(text) for _, text in _links(spec, target))


def _hrefs(spec: SiteSpec, target: str) -> set[str]:
    return {href for href, _, _ in _markup(spec, target).links}


def _text(spec: SiteSpec, target: str) -> str:
    return " ".join(_markup(spec, target).text)


def _with(kind: str, specs: list[SiteSpec]) -> list[SiteSpec]:
    return [s for s in specs if kind in s.faults]


def _on(route: str, specs: list[SiteSpec]) -> list[SiteSpec]:
    return [s for s in specs if s.route == route]


@pytest.fixture(scope="module")
def specs() -> list[SiteSpec]:
    return generate(load_institutions()[:COUNT], SEED)


@pytest.fixture(scope="module")
def nation() -> list[SiteSpec]:
    """The whole simulated country, where every route has its share of sites."""
    return generate(load_institutions(), SEED)


@pytest.fixture(scope="module")
def web() -> Iterator[NationalWeb]:
    with NationalWeb(count=COUNT, seed=SEED, timeout_delay=1.0, slow_delay=0.2) as running:
        yield running


@pytest.fixture(scope="module")
def national_web() -> Iterator[NationalWeb]:
    with NationalWeb(seed=SEED, timeout_delay=1.0, slow_delay=0.2) as running:
        yield running


def _get(
    url: str, timeout: float = 5.0, agent: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = Request(url, headers={"User-Agent": agent} if agent else {})
    with urlopen(request, timeout=timeout) as response:
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


def test_same_seed_same_sites_and_faults(specs: list[SiteSpec], nation: list[SiteSpec]) -> None:
    again = generate(load_institutions()[:COUNT], SEED)
    assert again == specs
    other = generate(load_institutions()[:COUNT], SEED + 1)
    assert [s.faults for s in other] != [s.faults for s in specs]
    other_nation = generate(load_institutions(), SEED + 1)
    assert [s.route for s in other_nation] != [s.route for s in nation]


def test_every_template_encoding_and_fault_kind_appears(specs: list[SiteSpec]) -> None:
    assert {s.template for s in specs} == {t.name for t in TEMPLATES}
    assert {s.encoding for s in specs} == {"utf-8", "euc-kr"}
    assert {kind for s in specs for kind in s.faults} == set(FAULT_KINDS)


def test_every_route_is_on_its_share_of_the_national_web(nation: list[SiteSpec]) -> None:
    routes = Counter(s.route for s in nation)
    for kind in ROUTES:
        if kind.sites:
            assert routes[kind.name] == kind.sites, kind.name
        assert routes[kind.name] >= 3, kind.name  # every route on at least a few sites
    assert set(routes) == {kind.name for kind in ROUTES}
    assert all(s.route.startswith("link") or s.route in ("sitemap", "privacy_section")
               for s in nation if s.faults)  # fmt: skip
    # Each route's sites are spread over the CMS looks and both encodings.
    for kind in ROUTES:
        sites = _on(kind.name, nation)
        if len(sites) >= 5:
            assert len({s.template for s in sites}) >= 2, kind.name


def test_a_small_web_keeps_the_plain_link(specs: list[SiteSpec]) -> None:
    """Too few sites for a share of each route: every site keeps the template's link."""
    assert {s.route for s in specs if not s.faults} == {"link"}


def test_charsets_are_declared_rightly_except_where_seeded_wrong(specs: list[SiteSpec]) -> None:
    for spec in specs:
        home = spec.answers["/"]
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
            assert "영상정보처리기기" in spec.answers[spec.policy_target].body.decode(spec.encoding)
        elif "no_policy_link" in spec.faults:
            assert not _has_policy_link(spec, "/") and _has_policy_link(spec, sitemap)
        else:
            assert _has_policy_link(spec, "/")


def test_every_site_links_an_attachment_download(specs: list[SiteSpec]) -> None:
    for spec in specs:
        assert is_attachment_link(spec.attachment_target)
        route = spec.answers[spec.attachment_target]
        assert dict(route.headers)["Content-Disposition"].startswith("attachment; filename")
    assert {s.answers[s.attachment_target].content_type.split(";")[0] for s in specs} >= {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_the_truth_names_only_what_the_site_serves(nation: list[SiteSpec]) -> None:
    for spec in nation:
        truth = spec.truth
        assert truth.route == spec.route
        named = [*truth.policies, *truth.earlier, *truth.not_policies]
        assert len(named) == len(set(named)), spec.inst_code  # no page is two things
        assert not set(truth.files) & set(truth.earlier_files), spec.inst_code
        if truth.outcome == "found":
            assert truth.policies and truth.reason is None, spec.inst_code
        else:
            assert truth.reason, spec.inst_code
        if truth.outcome == "missed" and truth.route in ("privacy_without_cctv", "decoy_login"):
            assert not truth.policies  # nothing there to find
        for target in [*named, *truth.files, *truth.earlier_files]:
            if "redirect_loop" in spec.faults and target == spec.policy_target:
                continue
            assert spec.answers[target].status == 200, (spec.inst_code, target)
        assert truth.cameras >= truth.file_cameras > 0 or not truth.files


def _cameras(spec: SiteSpec, target: str) -> int:
    answer = spec.answers[target]
    parsed = parse_document(
        answer.body, url=f"http://{spec.host}{target}", content_type=answer.content_type
    )
    return sum(c["camera_count"] or 0 for c in parsed["cameras"] if not c["is_template"])


def test_the_parser_reads_the_totals_the_truth_states(nation: list[SiteSpec]) -> None:
    """The camera totals of the truth are what the project's parser reads from the pages and
    files in force; earlier versions state other totals, so counting one would show."""
    for spec in nation:
        truth = spec.truth
        if truth.route == "js_rendered":  # drawn by script; the JSON holds the rows
            data = json.loads(spec.answers["/api/policy/cctv.json"].body)
            assert sum(row["count"] for row in data["inventory"]) == truth.page_cameras
        elif "redirect_loop" not in spec.faults:
            pages = sum(_cameras(spec, target) for target in truth.policies)
            assert pages == truth.page_cameras, (spec.inst_code, spec.route)
        files = sum(_cameras(spec, target) for target in truth.files)
        assert files == truth.file_cameras, (spec.inst_code, spec.route)
        for target in truth.earlier_files:
            assert 0 < _cameras(spec, target) < truth.cameras, (spec.inst_code, target)
        for target in truth.not_policies:
            assert _cameras(spec, target) == 0, (spec.inst_code, target)


def _name(spec: SiteSpec) -> str:
    """The policy's name as the site's template writes it."""
    return next(t.link_text for t in TEMPLATES if t.name == spec.template)


def _policy_hrefs(spec: SiteSpec, target: str) -> set[str]:
    return _hrefs(spec, target) & set(spec.truth.policies)


def test_script_links_carry_the_url_only_in_script(nation: list[SiteSpec]) -> None:
    calls = {
        "script_window_open": r"window\.open\('(?P<url>[^']+)'",
        "script_location": r"location(?:\.href)?\s*=\s*'(?P<url>[^']+)'",
        "script_gopage": r"javascript:goPage\('(?P<arg>[^']+)'\)",
        "script_fn_gomenu": r"fn_goMenu\('(?P<url>[^']+)'\)",
        "script_fnlinkpage": r"javascript:fnLinkPage\('(?P<menu>[^']+)', '(?P<arg>[^']+)'\)",
    }
    for route, pattern in calls.items():
        sites = _on(route, nation)
        assert sites
        for spec in sites:
            home = spec.answers["/"].body.decode(spec.encoding)
            (policy,) = spec.truth.policies
            assert not _policy_hrefs(spec, "/") and not _policy_hrefs(spec, spec.sitemap_target)
            call = re.search(pattern, home)
            assert call, (route, spec.inst_code)
            if "url" in call.groupdict():
                assert call["url"] == policy
            script = spec.answers.get("/js/common.js")
            source = script.body.decode() if script else home
            if route == "script_gopage":  # the pattern is in the linked common.js only
                prefix = re.search(r'location\.href = "([^"]+)" \+ menuNo', source)
                assert prefix and prefix[1] + call["arg"] == policy
                assert "/js/common.js" in _markup(spec, "/").scripts
            if route == "script_fnlinkpage":
                built = re.search(r'location\.href = "([^"]+)" \+ key \+ "([^"]+)" \+ menuId', home)
                assert built and built[1] + call["arg"] + built[2] + call["menu"] == policy


def test_script_downloads_name_the_file_in_the_call(nation: list[SiteSpec]) -> None:
    for spec in _on("script_download", nation):
        (policy,), (file,) = spec.truth.policies, spec.truth.files
        page = spec.answers[policy].body.decode(spec.encoding)
        assert file not in _hrefs(spec, policy)
        call = re.search(r"javascript:fn_egov_downFile\('([^']+)'(?:,'(\d+)')?\);", page)
        opener = re.search(
            r'window\.open\("([^"]+)" \+ atchFileId(?: \+ "([^"]+)" \+ fileSn)?', page
        )
        assert call and opener, spec.inst_code
        built = opener[1] + call[1] + (opener[2] + call[2] if call[2] else "")
        assert built == file


def test_image_links_are_named_only_by_alt_title_or_aria_label(nation: list[SiteSpec]) -> None:
    for route, name in (
        ("image_alt", "img_alt"),
        ("image_title", "title"),
        ("aria_label", "aria-label"),
        ("image_map", "alt"),
    ):
        for spec in _on(route, nation):
            (policy,) = spec.truth.policies
            (link,) = [(t, a) for h, t, a in _markup(spec, "/").links if h == policy]
            text, attrs = link
            assert not text, (route, spec.inst_code)
            assert attrs[name].startswith(_name(spec)), (route, spec.inst_code)
            assert not _policy_hrefs(spec, spec.sitemap_target)
            if route == "image_map":  # the footer is one image; its areas are the links
                assert attrs.get("shape") == "rect"


def test_homepages_that_only_lead_on(nation: list[SiteSpec]) -> None:
    for spec in [*_on("redirect_script", nation), *_on("redirect_meta", nation)]:
        home = spec.answers["/"].body.decode(spec.encoding)
        assert not _markup(spec, "/").links
        main = re.search(r"(?:location[^'\"]*|url=)['\"]?(/[^'\">;]+)", home)
        assert main and _policy_hrefs(spec, main[1]), spec.inst_code
    for spec in [*_on("frameset", nation), *_on("iframe_home", nation)]:
        frames = _markup(spec, "/").frames
        assert not _markup(spec, "/").links and frames
        assert any(_policy_hrefs(spec, frame) for frame in frames), spec.inst_code


def test_a_framed_policy_is_the_frame_not_the_page_around_it(nation: list[SiteSpec]) -> None:
    framesets = 0
    for spec in _on("policy_in_frame", nation):
        framesets += b"<frameset" in spec.answers[spec.truth.not_policies[0]].body
        (wrapper,), (content,) = spec.truth.not_policies, spec.truth.policies
        assert wrapper in _hrefs(spec, "/")
        assert content in _markup(spec, wrapper).frames
        assert not POLICY_FACTS.search(_text(spec, wrapper))
        assert POLICY_FACTS.search(_text(spec, content))
    assert 0 < framesets < len(_on("policy_in_frame", nation))  # iframes and framesets


def test_policies_two_steps_through_the_privacy_page(nation: list[SiteSpec]) -> None:
    for route in ("privacy_link", "privacy_tab", "privacy_without_cctv"):
        for spec in _on(route, nation):
            privacy = next(h for h, t in _links(spec, "/") if "개인정보" in t)
            for page in ("/", spec.sitemap_target):
                assert not _policy_hrefs(spec, page) - {privacy}
                assert not any(_name(spec) in t for _, t in _links(spec, page))
            words = _text(spec, privacy)
            if route == "privacy_link":
                (policy,) = spec.truth.policies
                (text,) = [t for h, t in _links(spec, privacy) if h == policy]
                assert text == "영상정보처리기기 운영·관리방침 보기"
                assert not POLICY_FACTS.search(words)
            elif route == "privacy_tab":
                assert spec.truth.policies == (privacy,)
                assert "#tab2" in _hrefs(spec, privacy) and POLICY_FACTS.search(words)
            else:
                assert not POLICY_FACTS.search(words) and "영상정보처리기기" not in words


def test_every_wording_in_use_names_a_policy_link(nation: list[SiteSpec]) -> None:
    used = set()
    for spec in _on("wording", nation):
        (policy,) = spec.truth.policies
        used |= {t for h, t in _links(spec, "/") if h == policy}
    assert used == set(WORDINGS)


def test_split_policies_do_not_link_each_other(nation: list[SiteSpec]) -> None:
    for spec in [*_on("split_fixed_mobile", nation), *_on("split_offices", nation)]:
        first, second = spec.truth.policies
        assert {first, second} <= _hrefs(spec, "/")
        assert second not in _hrefs(spec, first) and first not in _hrefs(spec, second)
        assert len(spec.truth.files) == 2


def test_earlier_versions_sit_beside_the_policy_in_force(nation: list[SiteSpec]) -> None:
    for route in ("earlier_select", "earlier_dated", "earlier_button", "board"):
        for spec in _on(route, nation):
            truth = spec.truth
            assert truth.earlier and truth.earlier_files, spec.inst_code
            current = truth.not_policies[0] if route == "board" else truth.policies[0]
            page = unescape(spec.answers[current].body.decode(spec.encoding))
            for earlier in truth.earlier:
                assert earlier in page  # an option value, a link or a button's script
                if route in ("earlier_dated", "board"):  # named like the policy itself
                    (text,) = [t for h, t in _links(spec, current) if h == earlier]
                    assert text == _name(spec)


def test_board_posts_carry_the_policy_as_a_document(nation: list[SiteSpec]) -> None:
    kinds, scripted = set(), 0
    for spec in _on("board", nation):
        (post,), (file,) = spec.truth.policies, spec.truth.files
        listing = spec.truth.not_policies[0]
        assert listing in _hrefs(spec, "/") and post in _hrefs(spec, listing)
        kinds.add(spec.answers[file].content_type)
        if file not in _hrefs(spec, post):
            scripted += 1
            file_id = re.search(r"atchFileId=([^&]+)", file)
            page = spec.answers[post].body.decode(spec.encoding)
            assert file_id and f"fn_egov_downFile('{file_id[1]}','0')" in page
    assert scripted == len(_on("board", nation)) // 2
    assert kinds == {
        "application/x-hwp",
        "application/octet-stream",  # hwpx, as CMS download handlers send it
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_decoys_look_like_the_policy_and_are_not(nation: list[SiteSpec]) -> None:
    for route in ("decoy_news", "decoy_error200", "decoy_wrapper", "decoy_js_shell", "decoy_login"):
        for spec in _on(route, nation):
            decoy = spec.truth.not_policies[0]
            named = [t for h, t in _links(spec, "/") if h == decoy]
            assert named and all(_name(spec) in t for t in named), spec.inst_code
            assert spec.answers[decoy].status == 200
            assert not POLICY_FACTS.search(_text(spec, decoy)), spec.inst_code
            if route == "decoy_news":  # listed before the footer's link to the policy
                hrefs = [h for h, _ in _links(spec, "/")]
                assert hrefs.index(decoy) < hrefs.index(spec.truth.policies[0])
            if route in ("decoy_error200", "decoy_js_shell"):
                assert spec.truth.policies[0] in _hrefs(spec, spec.sitemap_target)


def test_a_policy_drawn_by_script_is_empty_without_it(nation: list[SiteSpec]) -> None:
    for spec in _on("js_rendered", nation):
        (policy,) = spec.truth.policies
        page = _markup(spec, policy)
        assert not POLICY_FACTS.search(" ".join(page.text))
        assert "<noscript>" in spec.answers[policy].body.decode(spec.encoding)
        (script,) = page.scripts
        source = spec.answers[script].body.decode()
        endpoint = re.search(r'POLICY_API = "([^"]+)"', source)
        assert endpoint and "fetch(POLICY_API" in source
        data = json.loads(spec.answers[endpoint[1]].body)
        assert data["file"]["url"] == spec.truth.files[0]


def test_browsers_are_told_apart_by_user_agent() -> None:
    assert is_browser(BROWSER)
    assert is_browser("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
    assert not is_browser("cctv-disclosures/0.1 (+https://example.org)")
    assert not is_browser("Python-urllib/3.11")
    assert not is_browser("Scrapy/2.19 (+https://scrapy.org)")


def test_gated_sites_show_a_crawler_nothing(national_web: NationalWeb) -> None:
    blocked = _on("blocked_ua", national_web.specs)
    unsupported = _on("browser_unsupported", national_web.specs)
    assert blocked and unsupported
    for spec in blocked:
        for target in ("/robots.txt", "/", spec.policy_target):
            assert _http_error(national_web.url(spec.inst_code, target)).code == 403
        status, _, body = _get(national_web.url(spec.inst_code), agent=BROWSER)
        assert status == 200 and spec.policy_target.encode() in body
    for spec in unsupported:
        assert _get(national_web.url(spec.inst_code, "/robots.txt"))[0] == 200
        for target in ("/", spec.policy_target):
            status, _, body = _get(national_web.url(spec.inst_code, target))
            assert status == 200 and "브라우저 업데이트 안내".encode(spec.encoding) in body
        status, _, body = _get(national_web.url(spec.inst_code, spec.policy_target), agent=BROWSER)
        assert POLICY_FACTS.search(body.decode(spec.encoding))


def test_scripts_and_data_are_served_as_such(national_web: NationalWeb) -> None:
    spec = _on("js_rendered", national_web.specs)[0]
    _, headers, body = _get(national_web.url(spec.inst_code, "/static/js/cctvPolicy.js"))
    assert headers["Content-Type"] == "application/javascript" and b"fetch(" in body
    _, headers, body = _get(national_web.url(spec.inst_code, "/api/policy/cctv.json"))
    assert headers["Content-Type"].startswith("application/json") and json.loads(body)
    spec = _on("script_gopage", national_web.specs)[0]
    assert b"function goPage" in _get(national_web.url(spec.inst_code, "/js/common.js"))[2]


def test_faults_manifest_names_local_hosts(web: NationalWeb) -> None:
    assert set(web.homepages) == {s.inst_code for s in web.specs}
    assert set(web.faults) <= {h.split("/")[2] for h in web.homepages.values()}
    assert {kind for kinds in web.faults.values() for kind in kinds} == set(FAULT_KINDS)
    assert web.truth == {s.inst_code: s.truth for s in web.specs}
    assert web.routes == {s.inst_code: s.route for s in web.specs}


def test_server_error_burst_then_success(web: NationalWeb) -> None:
    for spec in _with("server_error_burst", web.specs):
        url = web.url(spec.inst_code, spec.policy_target)
        burst = spec.answers[spec.policy_target].burst
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


def test_the_registry_names_the_policy_of_override_sites(
    national_web: NationalWeb, tmp_path: Path
) -> None:
    loaded = load_registry(national_web.write_registry(tmp_path / "institutions.csv"))
    named = {i.inst_code: i.policy_url for i in loaded if i.policy_url}
    override = _on("override", national_web.specs)
    assert named == {s.inst_code: national_web.url(s.inst_code, s.policy_target) for s in override}
    for spec in override:  # nothing on the site leads there
        for page in ("/", spec.sitemap_target):
            assert spec.policy_target not in _hrefs(spec, page)


def test_the_registry_marks_sites_drawn_by_script_for_rendering_on_request(
    national_web: NationalWeb, tmp_path: Path
) -> None:
    plain = load_registry(national_web.write_registry(tmp_path / "plain.csv"))
    assert not [i for i in plain if i.render]
    rendered = load_registry(national_web.write_registry(tmp_path / "render.csv", render=True))
    marked = {i.inst_code for i in rendered if i.render == "js"}
    assert marked == {s.inst_code for s in _on("js_rendered", national_web.specs)}
