"""Datasette over the copy of a small warehouse, asked in-process (no socket): the JSON API
and every canned query answer what DuckDB answers on the warehouse, pages are Korean with
their facets and links, and nothing can write, attach a file, load code or read a file."""

from __future__ import annotations

import asyncio
import html
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from archive.paths import data_paths
from tests.unit.test_serve_copy import (
    GIMCHEON,
    HOSTILE_TITLE,
    JONGNO,
    MICHUHOL,
    SHA,
    URL,
    small_warehouse,
)
from warehouse.labels import column_label, item_label
from warehouse.serve.app import serve_app
from warehouse.serve.guard import authorize
from warehouse.serve.metadata import TITLE
from warehouse.serve.queries import MISSING_REQUIRED, canned_queries
from warehouse.serve.words import describe, error_text, error_title


class Client:
    """Datasette's own in-process client, driven from a synchronous test."""

    def __init__(self, ds: Any) -> None:
        self.ds = ds
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(ds.invoke_startup())

    def get(self, path: str) -> Any:
        return self.loop.run_until_complete(self.ds.client.get(path))

    def post(self, path: str, data: dict[str, str]) -> Any:
        return self.loop.run_until_complete(self.ds.client.post(path, data=data))

    def close(self) -> None:
        self.loop.close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_warehouse(tmp_path_factory.mktemp("serve") / "data")


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[Client]:
    ds, _summary = serve_app(data_paths(data_dir))
    found = Client(ds)
    try:
        yield found
    finally:
        found.close()


def duck(data_dir: Path, sql: str, *args: object) -> list[tuple]:
    con = duckdb.connect(str(data_paths(data_dir).duckdb), read_only=True)
    try:
        return con.execute(sql, list(args)).fetchall()
    finally:
        con.close()


def test_the_json_api_gives_the_warehouse_rows(client: Client, data_dir: Path) -> None:
    response = client.get("/cctv/policies.json?_shape=array&_size=max")
    assert response.status_code == 200
    served = {
        (r["inst_code"], r["retention_days_max"], r["camera_rows"], r["source_url"])
        for r in response.json()
    }
    expected = duck(
        data_dir, "SELECT inst_code, retention_days_max, camera_rows, source_url FROM policies"
    )
    assert served == set(expected) and len(served) == 3
    cameras = client.get("/cctv/cameras.json?_shape=array&_size=max").json()
    (total,) = duck(data_dir, "SELECT sum(camera_count) FROM cameras")[0]
    assert sum(r["camera_count"] for r in cameras) == total


def _canned(client: Client, name: str, **params: str) -> list[dict[str, Any]]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/cctv/{name}.json?_shape=array&{query}")
    assert response.status_code == 200, response.text
    return response.json()


def test_items_missing_answers_as_duckdb(client: Client, data_dir: Path) -> None:
    rows = _canned(client, "items_missing")
    code, count = (
        column_label("policy_scorecard", "inst_code"),
        column_label("policy_scorecard", "required_items_present"),
    )
    expected = duck(
        data_dir,
        "SELECT inst_code, required_items_present FROM policy_scorecard "
        "WHERE required_items_present < 7 ORDER BY 2, 1",
    )
    assert [(r[code], r[count]) for r in rows] == expected == [(JONGNO, 3)]
    missing = ", ".join(item_label(n, short=True) for n in (3, 5, 6, 7))
    assert rows[0][MISSING_REQUIRED] == missing


def test_retention_over_30_days_answers_as_duckdb(client: Client, data_dir: Path) -> None:
    rows = _canned(client, "retention_over_30_days")
    code = column_label("retention_over_30_days", "inst_code")
    longest = column_label("retention_over_30_days", "retention_days_max")
    expected = duck(
        data_dir, "SELECT inst_code, retention_days_max FROM retention_over_30_days ORDER BY 1"
    )
    assert sorted((r[code], r[longest]) for r in rows) == expected == [(GIMCHEON, 60)]
    assert rows[0][column_label("retention_over_30_days", "said_by")] == "방침·카메라 행"


def test_totals_disagree_answers_as_duckdb(client: Client, data_dir: Path) -> None:
    rows = _canned(client, "totals_disagree")
    code = column_label("policy_vs_standard", "inst_code")
    flag = column_label("policy_vs_standard", "flag")
    expected = duck(
        data_dir,
        "SELECT inst_code, policy_cameras, standard_cameras FROM policy_vs_standard "
        "WHERE flag IN ('policy_below_half', 'standard_exceeds_policy') ORDER BY 1",
    )
    policy = column_label("policy_vs_standard", "policy_cameras")
    standard = column_label("policy_vs_standard", "standard_cameras")
    assert sorted((r[code], r[policy], r[standard]) for r in rows) == expected
    assert expected == [(JONGNO, 5, 20), (GIMCHEON, 11, 14)]
    assert {r[code]: r[flag] for r in rows} == {
        GIMCHEON: "표준데이터가 방침보다 20% 넘게 많음",
        JONGNO: "방침 대수가 표준데이터의 절반 미만",
    }


def test_changed_since_takes_a_date(client: Client, data_dir: Path) -> None:
    code = column_label("policy_versions", "inst_code")
    version = column_label("policy_versions", "version")
    for since, wanted in (("2026-05-01", [(JONGNO, 2)]), ("2026-07-01", [])):
        rows = _canned(client, "changed_since", since=since)
        expected = duck(
            data_dir,
            "SELECT inst_code, version FROM policy_versions WHERE version > 1 "
            "AND rederived_from IS NULL AND valid_from >= ?::TIMESTAMPTZ ORDER BY 1",
            since,
        )
        assert [(r[code], r[version]) for r in rows] == expected == wanted
    # a date not written YYYY-MM-DD matches nothing rather than comparing as text
    for since in ("2026-5-1", "1", "어제", ""):
        assert _canned(client, "changed_since", since=since) == [], since
    # 김천's second version is the parser's rereading: never a change of the institution
    rows = _canned(client, "changed_since", since="2000-01-01")
    assert GIMCHEON not in {r[code] for r in rows}


def test_every_canned_query_is_a_read_with_a_korean_title(client: Client) -> None:
    queries = client.get("/cctv.json").json()["queries"]
    assert {q["name"] for q in queries} == {q.name for q in canned_queries()}
    for q in queries:
        assert not q.get("write")
        assert re.search("[가-힣]", q["title"]), q


def test_pages_are_korean_with_facets_and_links(client: Client) -> None:
    home = client.get("/cctv").text
    assert f"<h1>{TITLE}</h1>" in home
    page = client.get("/cctv/cameras").text
    assert "<h1>방침의 설치 현황</h1>" in page
    assert "<title>방침의 설치 현황 (4행) – cctv</title>" in page
    canned = client.get("/cctv/items_missing").text
    assert "<title>필수 기재사항이 빠진 방침 – cctv</title>" in canned
    facets = re.findall(r"<strong>\s*([^<]+?)\s*<span", page)
    assert {"시·도(광역)", "기관 구분", "설치 목적", "보관기간 구분"} <= set(facets)
    assert f'<a href="{URL[JONGNO]}">{URL[JONGNO]}</a>' in page  # the source, as a link
    assert 'href="/cctv/documents/' + SHA[JONGNO] in page  # the archived document
    assert '<span class="col-label">설치 목적</span>' in page
    facet_json = client.get("/cctv/cameras.json").json()["facet_results"]
    assert set(facet_json) >= {"region", "institution_level", "purpose", "retention_class"}
    regions = {v["value"]: v["count"] for v in facet_json["region"]["results"]}
    assert regions == {"서울특별시": 2, "경상북도": 1, "인천광역시": 1}


def test_rows_carry_the_labels_of_what_they_link_to(client: Client) -> None:
    rows = client.get("/cctv/policies.json?_shape=array&_labels=on").json()
    by_code = {r["inst_code"]["value"]: r for r in rows}
    assert by_code[MICHUHOL]["inst_code"]["label"] == "인천광역시 미추홀구"
    assert by_code[MICHUHOL]["capture_sha256"] == {"value": SHA[MICHUHOL], "label": URL[MICHUHOL]}
    document = client.get(f"/cctv/documents/{SHA[GIMCHEON]}.json?_shape=array").json()
    assert document[0]["warc_file"] == "crawl-1.warc.gz" and document[0]["warc_offset"] == 1_000


def test_pages_load_nothing_from_elsewhere(client: Client) -> None:
    for path in ("/", "/cctv", "/cctv/policies", "/cctv/items_missing", "/cctv?sql=select+1"):
        page = client.get(path).text
        loads = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', page)
        assert loads and all(u.startswith("/") or u.startswith("http://localhost/") for u in loads)
        assert not re.search(r"(?:src|href)=\"//", page)


def test_nothing_can_write(client: Client) -> None:
    for path in ("/cctv/policies", "/cctv/items_missing", "/cctv", "/-/insert"):
        response = client.post(path, {"sql": "DELETE FROM policies"})
        assert response.status_code == 405, path
    assert client.get("/cctv.db").status_code in (403, 404)  # no download of the file
    refused = {
        "ATTACH DATABASE '/tmp/other.db' AS other": "Statement must be a SELECT",
        "SELECT load_extension('/tmp/evil')": "load_extension",
        "SELECT readfile('/etc/passwd')": "readfile",
        "PRAGMA writable_schema = 1": "must be a SELECT",
        "WITH x AS (SELECT 1) DELETE FROM policies": "",
    }
    for sql, said in refused.items():
        response = client.get(f"/cctv.json?sql={sql}")
        assert response.status_code == 400, sql
        assert said in response.json()["error"], response.json()
    assert client.get("/cctv/policies.json?_shape=array").json()  # the rows are still there
    allowed = client.get("/cctv.json?sql=SELECT+count(*)+FROM+pragma_table_info('policies')")
    assert allowed.status_code == 200


def test_the_authorizer_refuses_at_the_engine(tmp_path: Path) -> None:
    """On a writable connection too: the engine itself says no."""
    con = sqlite3.connect(tmp_path / "x.db")
    con.execute("CREATE TABLE t (a)")
    con.set_authorizer(authorize)
    for sql in (
        "INSERT INTO t VALUES (1)",
        "DELETE FROM t",
        "CREATE TABLE u (a)",
        "DROP TABLE t",
        f"ATTACH DATABASE '{tmp_path / 'y.db'}' AS y",
        "PRAGMA journal_mode = WAL",
        "SELECT load_extension('x')",
        "VACUUM INTO '/tmp/copy.db'",
        "UPDATE sqlite_master SET sql = 'x'",
    ):
        with pytest.raises(
            sqlite3.DatabaseError, match=r"not authorized|authorization denied|may not be modified"
        ):
            con.execute(sql)
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
    assert con.execute("SELECT name FROM pragma_table_info('t')").fetchall() == [("a",)]
    assert not (tmp_path / "y.db").exists() and not Path("/tmp/copy.db").exists()
    con.close()


def test_a_failed_request_is_answered_without_a_traceback(
    client: Client, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    missing = client.get("/cctv/institution_directory/0000000")
    assert missing.status_code == 404 and "<title>" in missing.text
    assert client.get("/cctv/institution_directory/0000000.json").json()["status"] == 404
    assert client.get("/cctv.json?sql=DROP+TABLE+policies").status_code == 400
    err = capfd.readouterr().err
    assert "Traceback" not in err and "╭" not in err and err == "", err


def test_text_from_the_pages_stays_text(client: Client) -> None:
    """A title a crawled page carried, markup and all, is shown as text, never run."""
    page = client.get("/cctv/policies").text
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    rows = client.get(f"/cctv/policies.json?_shape=array&inst_code={MICHUHOL}").json()
    assert rows[0]["title"] == HOSTILE_TITLE


# Words Datasette 0.65 shows in its own pages; none may be left where a person reads.
DATASETTE_WORDS = (
    "home", "row", "rows", "table", "tables", "hidden", "view", "Powered by", "Data source",
    "Data license", "Queries", "Queries took", "Tables", "Facets", "Suggested facets",
    "View and edit SQL", "Advanced export", "advanced", "This data as", "CSV options",
    "JSON shape", "default", "array", "newline-delimited", "download file", "expand labels",
    "Export CSV", "Apply", "Sort", "Sort by", "descending", "ascending", "sorted by", "where",
    "Next page", "Links from other tables", "from", "Custom SQL query", "returning",
    "Run SQL", "Format SQL", "Edit SQL", "Query parameters", "hide", "show", "results",
    "records", "Many rows", "Link", "Search", "remove filter", "column", "contains",
    "starts with", "ends with", "is null", "Menu", "Table actions", "Error", "not found",
    "Forbidden", "Method not allowed", "Invalid SQL",
)  # fmt: skip
SQL_AND_SCRIPTS = re.compile(
    r"<(pre|textarea|script|style)\b[^>]*>.*?</\1>|<!--.*?-->", flags=re.S | re.I
)


def read_by_a_person(page: str) -> str:
    """The words a page shows: its text, its buttons, tooltips and labels; not the SQL it
    quotes (a query's text is code), its scripts, nor the data in its cells."""
    page = SQL_AND_SCRIPTS.sub(" ", page)
    page = re.sub(r"(<td\b[^>]*>).*?</td>", r"\1</td>", page, flags=re.S)
    said = [
        text
        for text in re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', page)
        if not re.match(r"\s*(?:select|with)\b", html.unescape(text), flags=re.I)
    ]
    said += re.findall(r'<input[^>]*type="submit"[^>]*value="([^"]*)"', page)
    return html.unescape(" ".join([re.sub(r"<[^>]+>", " ", page), *said]))


def english_left(page: str) -> list[str]:
    text = read_by_a_person(page)
    return [
        w for w in DATASETTE_WORDS if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w/.-])", text)
    ]


def test_every_page_a_person_reads_is_korean(client: Client) -> None:
    pages = {
        "/": 200,
        "/cctv": 200,
        "/cctv/cameras": 200,  # facets, a table without a primary key
        "/cctv/cameras?_facet_date=fetched_at&_size=1": 200,  # a date facet, the next page
        "/cctv/policies?region=서울특별시&inst_code__notblank=1&_sort_desc=inst_code": 200,
        f"/cctv/documents/{SHA[GIMCHEON]}": 200,  # a row, and the rows linking to it
        f"/cctv/institution_directory/{GIMCHEON}": 200,
        "/cctv/items_missing": 200,  # canned queries
        "/cctv/changed_since?since=2026-05-01": 200,
        "/cctv/changed_since?since=2026-05-01&_hide_sql=1": 200,
        "/cctv?sql=select+1": 200,
        "/cctv?sql=select+no_such_column": 400,
        "/cctv/no_such_table": 404,
        "/no_such_database": 404,
        "/cctv/institution_directory/0000000": 404,
        "/cctv.db": 403,
        "/-/versions": 200,  # Datasette's own pages about the server
        "/-/allow-debug": 200,
        "/-/messages": 200,
    }
    for path, status in pages.items():
        response = client.get(path)
        assert response.status_code == status, path
        # SQLite's own message is quoted as it is, after a Korean lead
        page = response.text.replace("no such column: no_such_column", "")
        assert '<html lang="ko">' in page, path
        assert english_left(page) == [], path
        assert re.search("[가-힣]", read_by_a_person(page)), path


def test_the_korean_pages_say_what_datasette_said(client: Client) -> None:
    home = read_by_a_person(client.get("/").text)
    assert re.search(r"표 [\d,]+개\([\d,]+행\)", home) and "운영·관리 방침" in home
    cctv = client.get("/cctv").text
    assert '<h2 id="queries">쿼리</h2>' in cctv and '<h2 id="tables">표</h2>' in cctv
    assert "Datasette</a>로 만든 화면" in cctv and "출처:" in cctv
    filtered = client.get("/cctv/policies?region=서울특별시&_sort_desc=inst_code").text
    title = re.search(r"<title>(.*?)</title>", filtered, flags=re.S)
    assert title and title.group(1) == (
        "운영·관리 방침 (1행) 조건: 시·도(광역) 같음 (=) “서울특별시” · "
        "기관코드 내림차순 정렬 – cctv"
    )
    assert '<input type="submit" value="적용">' in filtered and ">처음</a>" in filtered
    assert '<option value="region">시·도(광역)</option>' in filtered
    cameras = client.get("/cctv/cameras?_size=1").text
    assert ">다음 쪽</a>" in cameras and '<span class="col-label">행 번호</span>' in cameras
    row = client.get(f"/cctv/documents/{SHA[GIMCHEON]}").text
    assert "이 행으로 이어지는 다른 표의 행" in row and "운영·관리 방침의 원본 SHA-256" in row
    missing = client.get("/cctv/institution_directory/0000000").text
    assert "<h1>오류 404 – 찾을 수 없음</h1>" in missing and "행을 찾을 수 없습니다." in missing
    refused = client.get("/cctv?sql=select+no_such_column").text
    assert "SQL을 실행하지 못했습니다: no such column: no_such_column" in refused
    assert "이 날짜 이후 (YYYY-MM-DD)" in client.get("/cctv/changed_since").text


def test_the_json_api_keeps_datasettes_words(client: Client) -> None:
    """Only the pages change: the JSON a program reads is Datasette's own."""
    found = client.get("/cctv/policies.json?region=서울특별시&_sort_desc=inst_code").json()
    assert (
        found["human_description_en"]
        == 'where region = "서울특별시" sorted by inst_code descending'
    )
    missing = client.get("/cctv/institution_directory/0000000.json").json()
    assert missing["error"] == "Record not found" and missing["title"] is None


def test_datasettes_description_and_errors_in_words() -> None:
    columns = {"region": "시·도(광역)", "retention_days_max": "보관기간 최대(일)"}
    said = describe(
        [("region", "exact", "서울특별시"), ("retention_days_max", "gt", "30")],
        columns,
        search="종로",
        sort_desc="retention_days_max",
    )
    assert said == (
        "조건: 검색어 “종로”, 시·도(광역) 같음 (=) “서울특별시”, 보관기간 최대(일) 초과 (>) “30” · "
        "보관기간 최대(일) 내림차순 정렬"
    )
    assert describe([("title", "isblank", "1")], None) == "조건: title: 비어 있음"
    assert describe([], None, sort="rowid") == "행 번호 오름차순 정렬"
    assert describe([], None) == ""
    assert error_text("Record not found") == "행을 찾을 수 없습니다."
    assert error_text("Table not found: x") == "표를 찾을 수 없습니다. (x)"
    assert error_text("no such table: x", "SQL을 실행하지 못했습니다") == (
        "SQL을 실행하지 못했습니다: no such table: x"
    )
    assert error_text("이미 한국어") == "이미 한국어"
    assert error_title(None, 404) == "오류 404 – 찾을 수 없음"
    assert error_title("Invalid SQL", 400) == "실행할 수 없는 SQL"
    assert error_title(None, 418) == "오류 418"
