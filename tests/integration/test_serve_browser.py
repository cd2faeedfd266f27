"""`cctv serve` on the demo warehouse, opened in headless Chromium (Debian's package, driven
by Playwright) with every request that is not to the server aborted: the pages are Korean,
the facets are there and filter, a row links to its source URL and archived document, and
nothing is fetched from anywhere but the server itself, and Datasette's own words (the column
menu its script makes too) are Korean. Screenshots land in tmp_path."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_cli_serve import Served, serving
from tests.support import query_warehouse

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.cli, pytest.mark.server]

# What the route API does not see goes to a proxy that does not exist, and no name resolves;
# only the server's own address is reached directly.
BROWSER_ARGS = [
    "--proxy-server=http://egress.invalid:9",
    "--proxy-bypass-list=127.0.0.1",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def served(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("serve-demo") / "data"
    shutil.copytree(demo_data, data)  # serve writes its SQLite copy into the data dir
    with serving(data) as running:
        running.data_dir = data  # type: ignore[attr-defined]
        yield running
        returncode, err = running.stop()
    assert returncode == 0, err


def test_pages_are_korean_facet_and_link_offline(
    chromium: Path, served: Served, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    blocked: list[str] = []
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=BROWSER_ARGS)
        try:
            context = launched.new_context(viewport={"width": 1400, "height": 1200})

            def server_only(route: object) -> None:
                url = route.request.url  # type: ignore[attr-defined]
                if url.startswith(served.url):
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    blocked.append(url)
                    route.abort("blockedbyclient")  # type: ignore[attr-defined]

            context.route("**/*", server_only)
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.set_default_timeout(TIMEOUT_MS)

            page.goto(served.url + "cctv")
            assert page.inner_text("h1") == "전국 공공기관 CCTV 운영·관리 방침"
            assert "필수 기재사항이 빠진 방침" in page.inner_text("body")

            page.goto(served.url + "cctv/policies")
            assert page.title().startswith("운영·관리 방침")
            assert page.inner_text("h1") == "운영·관리 방침"
            facets = page.inner_text(".facet-results")
            for name in ("시·도(광역)", "기관 구분", "보관기간 구분"):
                assert name in facets
            headers = page.inner_text("table.rows-and-columns thead")
            assert "출처 URL" in headers and "기관코드" in headers
            (source,) = query_warehouse(
                served.data_dir,  # type: ignore[attr-defined]
                "SELECT source_url FROM policies ORDER BY inst_code LIMIT 1",
            )[0]
            assert page.locator(f"a[href='{source}']").count() >= 1  # the source, a link
            assert page.locator("a[href^='/cctv/documents/']").count() >= 1  # the document
            page.screenshot(path=str(tmp_path / "policies.png"), full_page=True)
            assert page.get_attribute("html", "lang") == "ko"
            body = page.inner_text("body")
            for english in ("Powered by", "This data as", "Advanced export", "Apply", "rows"):
                assert not re.search(rf"\b{english}\b", body), english

            # The column menu table.js makes, in Korean, with the column's type.
            page.locator("th[data-column='inst_code'] .dropdown-menu-icon").click()
            menu = page.locator("body > .dropdown-menu")
            menu.wait_for(state="visible")
            said = menu.inner_text()
            assert "오름차순 정렬" in said and "이 열로 묶기" in said, said
            assert "형식: TEXT" in said and "Sort" not in said and "Type" not in said, said
            page.keyboard.press("Escape")

            # A facet filters: the first 시·도 leaves only its rows.
            facet = page.locator(".facet-info[data-column='region'] li a").first
            region = facet.inner_text().rsplit(" ", 1)[0].strip()
            facet.click()
            page.wait_for_load_state()
            assert "region=" in page.url
            shown = page.locator("table.rows-and-columns tbody td.col-region").all_inner_texts()
            assert shown and {t.strip() for t in shown} == {region}

            # The document a row cites: where its bytes are in the WARC files.
            page.goto(served.url + "cctv/policies")
            page.locator("a[href^='/cctv/documents/']").first.click()
            page.wait_for_load_state()
            body = page.inner_text("body")
            assert "warc_file" in body and "WARC 파일" in body
            page.screenshot(path=str(tmp_path / "document.png"), full_page=True)
        finally:
            launched.close()
    assert blocked == []
    assert requests and all(url.startswith(served.url) for url in requests), requests
    assert (tmp_path / "policies.png").stat().st_size > 10_000
