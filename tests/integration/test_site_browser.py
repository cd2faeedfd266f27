"""The demo warehouse's site opened in headless Chromium (Debian's package, driven by
Playwright) from file://, with the network blocked: the index searches, sorts and filters
in the page itself, its links lead to the institution pages, the charts render, and no
request leaves the site's folder. Screenshots land in the test's tmp dir.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.paths import data_paths
from tests.integration import browser
from warehouse.site.build import build_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# What the route API does not see goes to a proxy that does not exist (crawler.render).
BROWSER_ARGS = [
    "--proxy-server=http://egress.invalid:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
TIMEOUT_MS = 30_000
SEARCHED_CODE = "5060000"  # 경상북도 김천시, a crawled institution of the demo


@pytest.fixture(scope="module")
def site(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    paths = data_paths(demo_data)
    build_site(paths.duckdb, out, archive=paths)
    return out


class Session:
    """A page in a browser whose every request is recorded, and aborted unless file://."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.requests: list[str] = []
        self.blocked: list[str] = []


@pytest.fixture(scope="module")
def playwright_browser() -> Iterator[object]:
    binary = browser.ensure_chromium()
    if binary is None:
        pytest.skip(f"headless Chromium unavailable: {browser.unavailable_reason}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(binary), args=BROWSER_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _session(playwright_browser: object, *, javascript: bool = True) -> Session:
    context = playwright_browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 1400}, java_script_enabled=javascript
    )
    page = context.new_page()
    session = Session(page)

    def local_only(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith("file:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            session.blocked.append(url)
            route.abort("blockedbyclient")  # type: ignore[attr-defined]

    context.route("**/*", local_only)
    page.on("request", lambda request: session.requests.append(request.url))
    page.set_default_timeout(TIMEOUT_MS)
    return session


@pytest.fixture
def session(playwright_browser: object) -> Iterator[Session]:
    made = _session(playwright_browser)
    yield made
    made.page.context.close()  # type: ignore[attr-defined]


def visible_rows(page: object) -> list[dict[str, str]]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#institutions tbody tr:not([hidden])",
        """rows => rows.map(r => ({
            code: r.cells[1].textContent.trim(),
            name: r.cells[0].textContent.trim(),
            sido: r.dataset.sido,
            cameras: r.cells[8].dataset.sort,
        }))""",
    )


def assert_stayed_local(session: Session) -> None:
    assert session.blocked == []
    assert session.requests, "nothing was loaded"
    assert all(url.startswith("file://") for url in session.requests), session.requests


def test_index_searches_sorts_and_filters_offline(
    site: Path, session: Session, tmp_path: Path
) -> None:
    page = session.page
    pages = sorted((site / "institutions").glob("*.html"))
    page.goto((site / "index.html").as_uri())  # type: ignore[attr-defined]
    assert page.title().startswith("기관 목록")  # type: ignore[attr-defined]
    assert page.inner_text("h1") == "기관별 영상정보처리기기 운영·관리 방침"  # type: ignore[attr-defined]
    assert page.is_visible("#controls")  # type: ignore[attr-defined]  # the script ran
    everyone = visible_rows(page)
    assert len(everyone) == len(pages) > 200
    assert page.inner_text("#shown") == f"{len(pages)}개 기관 중 {len(pages)}개 표시"  # type: ignore[attr-defined]
    header = page.inner_text("#institutions thead")  # type: ignore[attr-defined]
    for label in ("기관명", "기관코드", "시도", "기관 구분", "필수 기재사항", "카메라 대수"):
        assert label in header

    # Search: a name, then the code typed in full-width digits (NFKC folds them).
    page.fill("#q", "김천")  # type: ignore[attr-defined]
    assert [r["code"] for r in visible_rows(page)] == [SEARCHED_CODE]
    page.fill("#q", SEARCHED_CODE.translate(_FULL_WIDTH))  # type: ignore[attr-defined]
    assert [r["name"] for r in visible_rows(page)] == ["경상북도 김천시"]
    page.fill("#q", "없는기관이름")  # type: ignore[attr-defined]
    assert visible_rows(page) == [] and page.is_visible("#no-match")  # type: ignore[attr-defined]
    page.fill("#q", "")  # type: ignore[attr-defined]
    assert len(visible_rows(page)) == len(pages)

    # Sort by camera count: ascending first, then descending; rows without a count last.
    camera_header = page.locator("#institutions thead th", has_text="카메라 대수")  # type: ignore[attr-defined]
    camera_header.locator("button").click()
    assert camera_header.get_attribute("aria-sort") == "ascending"
    counts = [r["cameras"] for r in visible_rows(page)]
    known = [int(c) for c in counts if c]
    assert known == sorted(known) and len(known) >= 3
    assert counts[: len(known)] == [str(c) for c in known]  # the missing ones after
    camera_header.locator("button").click()
    assert camera_header.get_attribute("aria-sort") == "descending"
    known_desc = [int(r["cameras"]) for r in visible_rows(page) if r["cameras"]]
    assert known_desc == sorted(known, reverse=True)
    top = visible_rows(page)[0]
    page.screenshot(path=str(tmp_path / "index.png"))  # type: ignore[attr-defined]

    # Filter by 시도: only that 시도's rows, and the count line says so.
    page.select_option("#f-sido", top["sido"])  # type: ignore[attr-defined]
    shown = visible_rows(page)
    expected = sum(1 for r in everyone if r["sido"] == top["sido"])
    assert len(shown) == expected and {r["sido"] for r in shown} == {top["sido"]}
    assert page.inner_text("#shown") == f"{len(pages)}개 기관 중 {expected}개 표시"  # type: ignore[attr-defined]
    page.select_option("#f-crawled", "1")  # type: ignore[attr-defined]
    assert [r["code"] for r in visible_rows(page)] == [top["code"]]
    page.click("#reset")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        f"document.querySelectorAll('#institutions tbody tr:not([hidden])').length === {len(pages)}"
    )

    page.emulate_media(media="print")  # type: ignore[attr-defined]
    assert not page.is_visible("#controls")  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "index-print.png"))  # type: ignore[attr-defined]
    page.emulate_media(media="screen")  # type: ignore[attr-defined]

    # Follow the link to one institution's page.
    page.fill("#q", SEARCHED_CODE)  # type: ignore[attr-defined]
    page.click(f"#institutions a[href='institutions/{SEARCHED_CODE}.html']")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.url.endswith(f"/institutions/{SEARCHED_CODE}.html")  # type: ignore[attr-defined]
    assert page.inner_text("h1") == "경상북도 김천시"  # type: ignore[attr-defined]
    assert "필수 기재사항" in page.inner_text("main")  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "institution.png"), full_page=True)  # type: ignore[attr-defined]
    assert_stayed_local(session)
    for name in ("index.png", "index-print.png", "institution.png"):
        assert (tmp_path / name).stat().st_size > 10_000


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_national_pages_render_their_charts(site: Path, session: Session, tmp_path: Path) -> None:
    page = session.page
    page.goto((site / "national" / "index.html").as_uri())  # type: ignore[attr-defined]
    assert page.inner_text("h1") == "전국 현황"  # type: ignore[attr-defined]
    sizes = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])"
    )
    assert len(sizes) >= 3
    assert all(width and width > 200 for _, width in sizes), sizes
    text = page.inner_text("main")  # type: ignore[attr-defined]
    for title in ("보관기간", "필수 기재사항", "설치 현황", "표준데이터 대조"):
        assert title in text
    page.click("text=설치 현황")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert page.url.endswith("/national/cameras.html")  # type: ignore[attr-defined]
    assert "설치 목적별 카메라 대수" in page.inner_text("main")  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "national.png"), full_page=True)  # type: ignore[attr-defined]
    assert_stayed_local(session)


def test_without_javascript_the_table_lists_everyone(
    site: Path, playwright_browser: object
) -> None:
    session = _session(playwright_browser, javascript=False)
    try:
        page = session.page
        page.goto((site / "index.html").as_uri())  # type: ignore[attr-defined]
        rows = len(list((site / "institutions").glob("*.html")))
        listed = page.locator("#institutions tbody tr")  # type: ignore[attr-defined]
        assert listed.count() == rows
        assert listed.nth(rows - 1).is_visible()
        assert not page.is_visible("#controls")  # type: ignore[attr-defined]  # no dead controls
        assert re.search(r"\d+곳", page.inner_text(".totals"))  # type: ignore[attr-defined]
    finally:
        page.context.close()  # type: ignore[attr-defined]
