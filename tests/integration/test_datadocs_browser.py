"""The demo warehouse's Data Docs opened in headless Chromium with the network blocked:
they must render styled and complete, and the page itself must ask for nothing off-machine.

Chromium is Debian's package, installed by `browser.ensure_chromium` when the tests run as
root with apt-get (CI); elsewhere these tests skip and say why.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from archive.paths import data_paths
from tests.integration import browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SUITES = ("cameras-errors", "cameras-warnings", "policies-errors", "policies-warnings")
SUITES += ("standard_points-errors", "standard_points-warnings")
# The inlined stylesheet's pass/fail/warning backgrounds and its header grey (offline.css).
OK_BG, BAD_BG, SOFT = (0xDA, 0xFB, 0xE1), (0xFF, 0xEB, 0xE9), (0xF6, 0xF8, 0xFA)
WARN_BG = (0xFF, 0xF8, 0xC5)
SHOTS = Path(os.environ.get("CCTV_SCREENSHOTS", tempfile.gettempdir())) / "cctv-datadocs"
# An attribute or CSS reference that would make the browser load something off-machine.
OFFSITE_REF = re.compile(
    r"""\b(?:src|srcset|href|poster|data|background|action)\s*=\s*["']?\s*(?:[a-z][\w+.-]*:)?//"""
    r"""|url\(\s*["']?\s*(?:[a-z][\w+.-]*:)?//|@import""",
    re.IGNORECASE,
)
LEAKY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="https://cdn.example.com/bootstrap.css"></head>
<body><img src="https://example.com/logo.png" alt="logo"><p>leaky</p></body></html>"""


@pytest.fixture(scope="module")
def docs(demo_data: Path) -> Path:
    return data_paths(demo_data).data_docs


def validation_page(docs: Path, suite: str) -> Path:
    pages = sorted((docs / "validations" / suite).rglob("*.html"))
    assert pages, f"no validation result page for {suite}"
    return pages[-1]


def assert_rendered(png: Path, blank_png: Path) -> None:
    """Not blank, and painted with the offline stylesheet's colours."""
    assert png.stat().st_size > 0
    try:
        from PIL import Image
    except ImportError:  # no Pillow: a rendered page compresses far worse than a blank one
        assert png.stat().st_size > 5 * blank_png.stat().st_size
        return
    with Image.open(png) as image:
        assert image.size == (1280, 1600)
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
    painted = sum(n for n, c in colours if c != (255, 255, 255))
    assert len(colours) > 50, "a flat image: nothing was drawn"
    assert painted > 0.02 * 1280 * 1600, "almost all white"
    present = {c for _, c in colours}
    assert SOFT in present, "the offline stylesheet's table/header grey is missing"
    assert {OK_BG, BAD_BG} & present, "no pass/fail status colour: the stylesheet did not apply"


@pytest.fixture(scope="module")
def blank_png(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("blank")
    page = work / "blank.html"
    page.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    png = work / "blank.png"
    browser.screenshot(chromium, page, png, profile=work / "profile")
    return png


@pytest.mark.parametrize("which", ["index", "validation"])
def test_screenshot_is_styled_and_not_blank(
    chromium: Path, docs: Path, blank_png: Path, tmp_path: Path, which: str
) -> None:
    page = docs / "index.html" if which == "index" else validation_page(docs, "cameras-errors")
    png = tmp_path / f"{which}.png"
    browser.screenshot(chromium, page, png, profile=tmp_path / "profile")
    assert_rendered(png, blank_png)


def test_index_dom_lists_every_suite_with_status(
    chromium: Path, docs: Path, tmp_path: Path
) -> None:
    dom = browser.dump_dom(chromium, docs / "index.html", profile=tmp_path / "profile")
    for suite in SUITES:
        assert suite in dom
        assert re.search(rf'<a href="validations/{suite}/[^"]+\.html">', dom), suite
        assert f'href="expectations/{suite}.html"' in dom
    assert '<style id="offline-docs">' in dom  # the inlined stylesheet
    assert re.search(r'class="fas fa-(check-circle|times) text-(success|danger)', dom)
    assert "<script" not in dom


def test_suite_and_validation_pages_render_their_content(
    chromium: Path, docs: Path, tmp_path: Path
) -> None:
    suite = browser.dump_dom(
        chromium, docs / "expectations" / "cameras-errors.html", profile=tmp_path / "a"
    )
    assert "방침의 설치 현황 · 오류" in suite and '<style id="offline-docs">' in suite
    assert "7자리 행정표준코드" in suite and "설치목적구분" in suite  # notes, Hangul as text
    assert "§" not in suite
    result = browser.dump_dom(
        chromium, validation_page(docs, "policies-errors"), profile=tmp_path / "b"
    )
    assert "운영·관리 방침 · 오류" in result and "개요" in result and "Overview" not in result
    assert re.search(r'class="fas fa-(check-circle|times) text-(success|danger)', result)


def test_pages_ask_for_nothing_off_machine(chromium: Path, docs: Path, tmp_path: Path) -> None:
    pages = [docs / "index.html", docs / "expectations" / "policies-warnings.html"]
    pages.append(validation_page(docs, "cameras-warnings"))
    for n, page in enumerate(pages):
        net_log = tmp_path / f"net-{n}.json"
        dom = browser.dump_dom(chromium, page, profile=tmp_path / f"p{n}", net_log=net_log)
        assert OFFSITE_REF.findall(dom) == [], page
        assert browser.page_requests(net_log) == [], page
        # Whatever Chromium itself tried (update checks) went to the dead local proxy only.
        assert browser.tcp_destinations(net_log) <= {"PROXY 127.0.0.1:9", "127.0.0.1:9"}


def test_the_request_detector_catches_a_leaky_page(chromium: Path, tmp_path: Path) -> None:
    """The control: a page that does load from CDNs is seen doing so, and gets nothing."""
    page = tmp_path / "leaky.html"
    page.write_text(LEAKY_PAGE, encoding="utf-8")
    net_log = tmp_path / "net.json"
    dom = browser.dump_dom(chromium, page, profile=tmp_path / "profile", net_log=net_log)
    assert len(OFFSITE_REF.findall(dom)) == 2
    assert sorted(browser.page_requests(net_log)) == [
        "https://cdn.example.com/bootstrap.css",
        "https://example.com/logo.png",
    ]
    assert browser.tcp_destinations(net_log) <= {"PROXY 127.0.0.1:9", "127.0.0.1:9"}


def test_without_root_the_browser_tests_skip_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(browser, "unavailable_reason", "")
    assert browser.ensure_chromium.__wrapped__() is None
    assert "needs root and apt-get" in browser.unavailable_reason
    assert "chromium fonts-nanum" in browser.unavailable_reason


def colours_of(png: Path) -> set[tuple[int, int, int]]:
    from PIL import Image

    with Image.open(png) as image:
        return {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}


def test_summary_page_lists_institutions_by_rule(
    chromium: Path, docs: Path, tmp_path: Path
) -> None:
    """The page a regulator opens first: institutions × failed rules, in Korean, offline."""
    page = docs / "summary.html"
    net_log = tmp_path / "net.json"
    dom = browser.dump_dom(chromium, page, profile=tmp_path / "a", net_log=net_log)
    for text in ("기관별 검증 결과", "기관코드", "기관명", "합계", "위반 행 목록"):
        assert text in dom, text
    # the demo's one failing row: 미추홀구's non-recording device with a storage location
    assert "3510500" in dom and "인천광역시 미추홀구" in dom
    assert "녹화하지 않으면 보관장소 없음" in dom
    assert browser.page_requests(net_log) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    png = SHOTS / "summary.png"
    browser.screenshot(chromium, page, png, profile=tmp_path / "b")
    pytest.importorskip("PIL")
    assert SOFT in colours_of(png)
    failures = browser.dump_dom(chromium, docs / "failures.html", profile=tmp_path / "c")
    assert "출처 URL" in failures and "http://" in failures and "3510500" in failures


def test_warning_only_suite_page_shows_warnings_not_failures(
    chromium: Path, docs: Path, tmp_path: Path
) -> None:
    """cameras-warnings fails on the demo: its page says 경고 in amber, nowhere Failed in red."""
    page = validation_page(docs, "cameras-warnings")
    dom = browser.dump_dom(chromium, page, profile=tmp_path / "a")
    body = dom[dom.index("<body") :]
    assert "경고" in body and "fa-exclamation-triangle text-warning" in body
    assert not re.search(r"text-danger|fa-times|Failed|실패", body)
    SHOTS.mkdir(parents=True, exist_ok=True)
    png = SHOTS / "cameras-warnings.png"
    browser.screenshot(chromium, page, png, profile=tmp_path / "b")
    pytest.importorskip("PIL")
    present = colours_of(png)
    assert BAD_BG not in present, "a warning-only suite painted in the failure red"
    index = SHOTS / "index.png"
    browser.screenshot(chromium, docs / "index.html", index, profile=tmp_path / "c")
    assert WARN_BG in colours_of(index) and OK_BG in colours_of(index)
