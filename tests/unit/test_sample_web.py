"""The bundled sample web: real HTTP on 127.0.0.1, faithful policy pages, stable attachments."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin
from urllib.request import ProxyHandler, Request, build_opener
from urllib.robotparser import RobotFileParser

import lxml.html
import openpyxl
import pytest

from crawler.sample_web import SITES_DIR, SampleWeb
from tests import make_sample_attachments as make_attachments
from tests import seeds

pytestmark = pytest.mark.server  # the sample sites, each on a port of 127.0.0.1

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GIMCHEON = "https://www.gimcheon.go.kr"
SEOUL = "https://www.seoul.go.kr"
MICHUHOL = "https://www.michuhol.go.kr"
GUNSAN = "https://www.gunsan.go.kr"

# Homepage -> (policy link text as a reader sees it, policy path).
POLICY_LINKS = {
    GIMCHEON: ("영상정보처리기기 운영방침", "/portal/contents.do?mId=0401140000"),
    SEOUL: ("영상정보처리기기 운영관리 방침", "/helper/cctv.do"),
    MICHUHOL: ("고정형·이동형 영상정보처리기기 운영·관리방침", "/main/contents.do?key=2285"),
    GUNSAN: ("영상정보처리기기운영", "/main/m1421"),
}
# Homepage -> (attachment path, Korean download name).
ATTACHMENTS = {
    GIMCHEON: (
        "/portal/bbs/FileDown.do?atchFileId=FILE_000000000214771&fileSn=0",
        "김천시 영상정보처리기기 설치현황.xlsx",
    ),
    GUNSAN: (
        "/cmm/fms/FileDown.do?atchFileId=FILE_000000000098765&fileSn=1",
        "붙임-군산시 CCTV 운영현황.xlsx",
    ),
}

# The sample web must never be reached through a proxy configured in the environment.
_OPENER = build_opener(ProxyHandler({}))


def fetch(url: str, method: str = "GET") -> tuple[int, Message, bytes]:
    try:
        with _OPENER.open(Request(url, method=method), timeout=10) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def decoded(headers: Message, body: bytes) -> str:
    return body.decode(headers.get_content_charset() or "utf-8")


@pytest.fixture(scope="module")
def web() -> Iterator[SampleWeb]:
    with SampleWeb() as running:
        yield running


def url(web: SampleWeb, homepage: str, path: str) -> str:
    return urljoin(web.local_url(homepage), path)


def test_every_site_is_served_on_its_own_local_port(web: SampleWeb) -> None:
    assert set(web.homepages) == set(POLICY_LINKS)
    assert len(set(web.homepages.values())) == 4
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+/", u) for u in web.homepages.values())
    assert web.local_url("https://www.gimcheon.go.kr/") == web.homepages[GIMCHEON]


@pytest.mark.parametrize("homepage", sorted(POLICY_LINKS))
def test_homepage_links_to_its_policy_by_text(web: SampleWeb, homepage: str) -> None:
    link_text, policy_path = POLICY_LINKS[homepage]
    status, headers, body = fetch(web.local_url(homepage))
    assert status == 200
    html = decoded(headers, body)
    assert link_text in re.sub(r"<[^>]+>", "", html)
    anchors = lxml.html.fromstring(html).xpath("//a[@href]")
    targets = {a.get("href") for a in anchors if a.text_content().strip() == link_text}
    assert targets == {policy_path}
    assert any(a.get("href") == "/admin/login.do" for a in anchors)
    policy_status, _, _ = fetch(url(web, homepage, policy_path))
    assert policy_status == 200


def test_gunsan_pages_arrive_in_euc_kr(web: SampleWeb) -> None:
    status, headers, body = fetch(url(web, GUNSAN, POLICY_LINKS[GUNSAN][1]))
    assert status == 200
    assert headers.get_content_charset() == "euc-kr"
    text = body.decode("euc-kr")
    assert "영상정보처리기기" in text
    assert 'content="text/html; charset=euc-kr"' in text
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


@pytest.mark.parametrize("homepage", sorted(ATTACHMENTS))
def test_attachments_download_as_named_workbooks(web: SampleWeb, homepage: str) -> None:
    path, download_name = ATTACHMENTS[homepage]
    status, headers, body = fetch(url(web, homepage, path))
    assert status == 200
    assert headers["Content-Type"] == XLSX
    disposition = headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert encoded and unquote(encoded.group(1)) == download_name
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    text = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "시연용 샘플 데이터" in text


def test_policy_pages_link_their_attachments(web: SampleWeb) -> None:
    for homepage, (path, _) in ATTACHMENTS.items():
        _, headers, body = fetch(url(web, homepage, POLICY_LINKS[homepage][1]))
        page = lxml.html.fromstring(decoded(headers, body))
        assert path in page.xpath("//a/@href")


def test_gimcheon_request_form_link_is_a_page_not_a_file(web: SampleWeb) -> None:
    _, headers, body = fetch(url(web, GIMCHEON, POLICY_LINKS[GIMCHEON][1]))
    page = lxml.html.fromstring(decoded(headers, body))
    (href,) = page.xpath("//a[normalize-space(.)='개인영상정보 청구서 다운로드']/@href")
    status, form_headers, form = fetch(url(web, GIMCHEON, href))
    assert status == 200
    assert form_headers.get_content_type() == "text/html"
    assert "청구서 서식 안내" in decoded(form_headers, form)


def test_seoul_detail_file_links_are_broken_like_the_real_ones(web: SampleWeb) -> None:
    _, headers, body = fetch(url(web, SEOUL, POLICY_LINKS[SEOUL][1]))
    page = lxml.html.fromstring(decoded(headers, body))
    hrefs = page.xpath("//a[normalize-space(.)='세부파일 내역(클릭)']/@href")
    assert len(hrefs) == 3
    assert all("FileDown.do?atchFileId=" in h for h in hrefs)
    statuses = [fetch(url(web, SEOUL, h))[0] for h in hrefs]
    assert statuses == [500, 404, 404]


def test_error_routes(web: SampleWeb) -> None:
    status, headers, body = fetch(url(web, MICHUHOL, "/no/such/page.do?x=1"))
    assert status == 404
    assert headers.get_content_type() == "text/html"
    assert "404" in decoded(headers, body)


def test_responses_carry_stable_validators_and_head_works(web: SampleWeb) -> None:
    target = url(web, MICHUHOL, POLICY_LINKS[MICHUHOL][1])
    first = fetch(target)
    second = fetch(target)
    head = fetch(target, method="HEAD")
    for name in ("Last-Modified", "ETag", "Content-Length"):
        assert first[1][name] == second[1][name] == head[1][name]
    assert first[1]["Last-Modified"] == "Fri, 31 Mar 2023 00:00:00 GMT"
    assert head[0] == 200
    assert head[2] == b""
    assert int(first[1]["Content-Length"]) == len(first[2])


@pytest.mark.parametrize("homepage", sorted(POLICY_LINKS))
def test_robots_txt_disallows_admin(web: SampleWeb, homepage: str) -> None:
    status, headers, body = fetch(url(web, homepage, "/robots.txt"))
    assert status == 200
    robots = RobotFileParser()
    robots.parse(decoded(headers, body).splitlines())
    assert not robots.can_fetch("cctv-crawler", url(web, homepage, "/admin/login.do"))
    assert robots.can_fetch("cctv-crawler", url(web, homepage, POLICY_LINKS[homepage][1]))


def test_local_url_names_the_unknown_homepage(web: SampleWeb) -> None:
    with pytest.raises(KeyError, match=r"www\.unknown\.go\.kr"):
        web.local_url("https://www.unknown.go.kr")


def test_other_sites_dir_and_stop_closes_the_ports(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR / "www.seoul.go.kr", sites / "www.seoul.go.kr")
    web = SampleWeb(sites_dir=sites).start()
    base = web.local_url(SEOUL)
    assert set(web.homepages) == {SEOUL}
    assert fetch(base)[0] == 200
    web.stop()
    with pytest.raises(OSError):
        fetch(base)


def test_attachments_regenerate_byte_for_byte(tmp_path: Path) -> None:
    written = make_attachments.build(tmp_path)
    assert len(written) == len(make_attachments.ATTACHMENTS)
    for relative in make_attachments.ATTACHMENTS:
        fresh = hashlib.sha256((tmp_path / relative).read_bytes()).hexdigest()
        committed = hashlib.sha256((SITES_DIR / relative).read_bytes()).hexdigest()
        assert fresh == committed, f"{relative} is stale: python -m tests.make_sample_attachments"


def expand_table(table: lxml.html.HtmlElement) -> list[list[str]]:
    """Rows of a table with every rowspan/colspan cell copied into the slots it covers."""
    grid: dict[tuple[int, int], str] = {}
    rows = table.xpath("./thead/tr | ./tbody/tr | ./tr")
    for r, row in enumerate(rows):
        c = 0
        for cell in row.xpath("./th | ./td"):
            while (r, c) in grid:
                c += 1
            text = " ".join(cell.text_content().split())
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    grid[(r + dr, c + dc)] = text
            c += int(cell.get("colspan", 1))
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def test_michuhol_inventory_table_carries_the_seed_rows_and_total(web: SampleWeb) -> None:
    _, headers, body = fetch(url(web, MICHUHOL, POLICY_LINKS[MICHUHOL][1]))
    page = lxml.html.fromstring(decoded(headers, body))
    (table,) = page.xpath("//table[contains(caption, '설치·운영현황')]")
    grid = expand_table(table)
    header_rows = len(table.xpath("./thead/tr"))
    assert header_rows == 2
    assert grid[1][6:] == ["촬영시간", "보관기간", "보관장소"]
    body_rows = grid[header_rows:]
    assert len(body_rows) == seeds.MICHUHOL.camera_rows
    assert all(len(row) == 9 and all(row) for row in body_rows)
    counts = [int(row[3].removesuffix("대").replace(",", "")) for row in body_rows]
    assert sum(counts) == seeds.MICHUHOL.page_cameras
    assert [row[0] for row in body_rows].count("4") == 6
    assert body_rows[-1][1] == "보건행정과"
