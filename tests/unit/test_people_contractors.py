"""CCTV contractors: table columns, sentences, and the other processing of a privacy policy."""

from __future__ import annotations

from transforms.grid import Grid
from transforms.html.document import read_document
from transforms.people import contractors

PRIVACY = """<html><body><div id="content"><h2>개인정보 처리방침</h2>
<h3>제1조(개인정보의 처리목적)</h3><p>다음의 목적을 위하여 개인정보를 처리합니다.</p>
<h3>제2조(개인정보 처리업무의 위탁)</h3>
<table><tr><th>수탁업체</th><th>위탁업무</th><th>연락처</th></tr>
<tr><td>(주)웹솔루션</td><td>홈페이지 유지보수</td><td>02-555-1234</td></tr>
<tr><td>문자나라(주)</td><td>문자 발송</td><td>1588-1111</td></tr>
<tr><td>(주)안심보안</td><td>CCTV 유지보수</td><td>02-333-4444</td></tr></table>
<p>수탁업체 : (주)메일링(02-999-0000)</p>
<h3>제3조(영상정보처리기기 설치·운영)</h3><p>영상정보는 30일간 보관합니다.</p>
<p>영상정보처리기기의 유지보수는 (주)안전보안(02-777-8888)에 위탁합니다.</p>
<h3>제4조(개인정보 보호책임자)</h3><p>보호책임자: 총무과장 김철수 (02-111-2222)</p>
</div></body></html>"""


def test_only_cctv_contractors_of_a_privacy_policy() -> None:
    found = contractors(read_document(PRIVACY), "02")
    assert found == [
        {"name": "(주)안심보안", "phone": "02-333-4444"},
        {"name": "(주)안전보안", "phone": "02-777-8888"},
    ]


def _page(table: str) -> str:
    return f"""<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
    <h3>2. 설치 대수, 설치 위치 및 촬영범위</h3>{table}
    <h3>8. 영상정보처리기기 설치·관리 등의 위탁</h3><p>아래 표의 업체에 위탁합니다.</p>
    </div></body></html>"""


def test_a_contractor_column_of_an_inventory() -> None:
    table = """<table><tr><th>설치장소</th><th>대수</th><th>유지보수업체</th><th>연락처</th></tr>
    <tr><td>본관 로비</td><td>3</td><td>(주)한빛시큐리티</td><td>031-339-7720</td></tr>
    <tr><td>주차장</td><td>2</td><td>(주)한빛시큐리티</td><td>031-339-7720</td></tr>
    <tr><td>체육관</td><td>1</td><td>직영</td><td>-</td></tr></table>"""
    found = contractors(read_document(_page(table)), "031")
    assert found == [{"name": "(주)한빛시큐리티", "phone": "031-339-7720"}]


def test_contractor_headers_of_a_contractor_table() -> None:
    for header in ("수탁자", "위탁업체", "수탁업체명"):
        table = f"""<table><tr><th>{header}</th><th>위탁업무</th><th>전화번호</th></tr>
        <tr><td>남도통신(주)</td><td>CCTV 유지관리</td><td>061-722-1100</td></tr></table>"""
        found = contractors(read_document(_page(table)), "061")
        assert found == [{"name": "남도통신(주)", "phone": "061-722-1100"}], header


def test_a_company_in_a_sentence() -> None:
    page = """<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
    <p>1. 설치 근거 및 목적: 시설안전</p>
    <p>8. 영상정보처리기기 설치·관리 등의 위탁</p>
    <p>공단은 영상정보처리기기의 유지보수 업무를 (주)치악정보통신(033-745-2280)에 위탁하고
    있으며, 위탁계약 시 필요한 사항을 규정하고 있습니다.</p></div></body></html>"""
    found = contractors(read_document(page), "033")
    assert found == [{"name": "(주)치악정보통신", "phone": "033-745-2280"}]


def test_a_grid_without_a_contractor_column_names_none() -> None:
    from transforms.people import _contractors_from_grid

    grid = Grid(name="t", rows=[["설치장소", "대수"], ["로비", "2"]], header_rows=1)
    assert _contractors_from_grid(grid, None) == []


def test_a_contractor_cell_with_its_number() -> None:
    table = """<table><tr><th>관리부서</th><th>대수</th><th>설치 위치</th><th>유지보수업체</th></tr>
    <tr><td>체육시설팀</td><td>8대</td><td>경기장</td><td>(주)새만금정보통신<br>063-442-7081</td></tr>
    </table>"""
    found = contractors(read_document(_page(table)), "063")
    assert found == [{"name": "(주)새만금정보통신", "phone": "063-442-7081"}]


def test_the_trustee_row_of_a_contact_table_gives_the_number() -> None:
    table = """<table><tr><th>분류</th><th>설치 대수</th><th>설치 위치</th><th>위탁업체</th></tr>
    <tr><td>공개장소</td><td>6대</td><td>로비</td><td>경기안심시스템(주)</td></tr></table>
    <table><tr><th>구분</th><th>이름</th><th>직위</th><th>소속</th><th>연락처</th></tr>
    <tr><td>관리책임자</td><td>표지성</td><td>사무국장</td><td>경영기획팀</td><td>031-8082-4501</td></tr>
    <tr><td>수탁자</td><td>경기안심시스템(주)</td><td>-</td><td>-</td><td>031-869-1180</td></tr></table>"""
    found = contractors(read_document(_page(table)), "031")
    assert found == [{"name": "경기안심시스템(주)", "phone": "031-869-1180"}]


def test_a_contractor_in_brackets_after_the_word() -> None:
    page = """<html><body><div id="content"><h2>영상정보처리기기 운영·관리방침</h2>
    <h3>제5조(영상정보처리기기 설치 및 관리 등의 위탁에 관한 사항)</h3>
    <p>복지관은 수탁업체(에이스캅스, 1588-6390)를 통하여 설치 및 관리 등을 위탁하고 있습니다.</p>
    </div></body></html>"""
    found = contractors(read_document(page), "054")
    assert found == [{"name": "에이스캅스", "phone": "1588-6390"}]
