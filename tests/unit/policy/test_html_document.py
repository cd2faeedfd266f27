"""read_document: a page as ordered blocks, the policy body found by its vocabulary."""

from __future__ import annotations

from transforms.html.document import read_document


def _page(body: str, title: str = "영상정보처리기기 운영·관리 방침") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def _kinds(html: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in read_document(html).blocks]


POLICY = (
    "<h3>1. 설치근거 및 설치목적</h3><p>시설 안전을 위하여 영상정보처리기기를 설치합니다.</p>"
    "<h3>2. 보관기간</h3><p>보관기간 : 30일, 보관장소 : 관제실</p>"
)


def test_blocks_in_document_order_with_heading_levels() -> None:
    doc = read_document(_page("<h2>방침</h2>" + POLICY))
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 2, "방침"),
        ("heading", 3, "1. 설치근거 및 설치목적"),
        ("line", 0, "시설 안전을 위하여 영상정보처리기기를 설치합니다."),
        ("heading", 3, "2. 보관기간"),
        ("line", 0, "보관기간 : 30일, 보관장소 : 관제실"),
    ]


def test_the_title_and_every_heading_of_the_page() -> None:
    html = _page(
        f"<div id='top'><h1>시청</h1></div><div id='content'>{POLICY}</div>", "방침 | 시청"
    )
    doc = read_document(html)
    assert doc.title == "방침 | 시청"
    assert doc.page_headings == ["시청", "1. 설치근거 및 설치목적", "2. 보관기간"]


def test_menus_and_footers_are_left_out() -> None:
    html = _page(
        "<div id='gnb'><ul><li>분야별정보</li><li>열린시장실</li></ul></div>"
        f"<div class='contents'>{POLICY}</div>"
        "<div class='footer'>개인정보처리방침 | 저작권정책</div>"
        "<footer>주소 : 시청로 1</footer>"
    )
    assert [t for _, t in _kinds(html)] == [
        "1. 설치근거 및 설치목적",
        "시설 안전을 위하여 영상정보처리기기를 설치합니다.",
        "2. 보관기간",
        "보관기간 : 30일, 보관장소 : 관제실",
    ]


def test_the_body_is_the_smallest_element_holding_most_policy_words() -> None:
    html = _page(
        "<div><div class='news'><p>공지사항: 체육대회 안내</p></div>"
        f"<div class='policy'>{POLICY}</div></div>"
    )
    assert "공지사항: 체육대회 안내" not in read_document(html).text


def test_chrome_that_carries_the_policy_is_kept() -> None:
    """A class that reads as chrome (side) on the element holding the policy itself."""
    html = _page(
        "<div class='side'><p>보관기간 : 30일</p><p>보관장소 : 관제실</p>"
        "<p>관리책임자 : 총무과장</p><p>촬영시간 : 24시간</p></div>"
    )
    assert "보관기간 : 30일" in read_document(html).text


def test_a_bold_paragraph_is_a_heading() -> None:
    html = _page("<p><strong>3. 관리책임자</strong></p><p>총무과장 <b>김철수</b></p>" + POLICY)
    assert _kinds(html)[:2] == [("heading", "3. 관리책임자"), ("line", "총무과장 김철수")]


def test_a_short_definition_reads_as_key_and_value() -> None:
    html = _page(
        "<dl><dt>보관기간</dt><dd>촬영일로부터 30일</dd><dt>보관장소</dt><dd>관제실</dd></dl>"
    )
    assert _kinds(html) == [("line", "보관기간 : 촬영일로부터 30일"), ("line", "보관장소 : 관제실")]


def test_a_structured_definition_makes_its_term_a_heading() -> None:
    html = _page(
        POLICY + "<dl><dt>제1조(목적)</dt><dd><p>범죄 예방</p><p>시설 안전</p></dd>"
        "<dt>제2조(보관기간)</dt></dl>"
    )
    assert _kinds(html)[4:] == [
        ("heading", "제1조(목적)"),
        ("line", "범죄 예방"),
        ("line", "시설 안전"),
        ("heading", "제2조(보관기간)"),
    ]


def test_line_breaks_and_list_items_make_lines_and_whitespace_is_folded() -> None:
    html = _page(
        POLICY + "<p>보관기간 :\n   30일<br>보관장소 :&nbsp; 관제실</p>"
        "<ul><li>가. 정문</li><li>나. 후문</li></ul>"
    )
    assert [t for _, t in _kinds(html)][4:] == [
        "보관기간 : 30일",
        "보관장소 : 관제실",
        "가. 정문",
        "나. 후문",
    ]


def test_a_table_is_one_block_with_its_grid() -> None:
    html = _page(
        "<p>설치현황</p><table><caption>CCTV 설치현황</caption>"
        "<tr><th>설치위치</th><th>대수</th></tr><tr><td>정문</td><td>2</td></tr></table>"
    )
    doc = read_document(html)
    table = doc.blocks[1]
    assert (table.kind, table.text) == ("table", "CCTV 설치현황")
    assert table.grid is not None
    assert (table.grid.name, table.grid.rows, table.grid.header_rows) == (
        "table 1",
        [["설치위치", "대수"], ["정문", "2"]],
        1,
    )
    assert doc.text == "설치현황"
    assert doc.full_text == "설치현황\n설치위치 | 대수\n정문 | 2"


def test_a_layout_table_is_read_through_to_its_content() -> None:
    html = _page(
        "<table><tr><td><p>보관기간 : 30일, 보관장소 : 관제실</p>"
        "<p>영상정보처리기기 관리책임자 : 총무과장</p>"
        "<table><tr><th>설치위치</th><th>대수</th></tr><tr><td>정문</td><td>2</td></tr></table>"
        "</td></tr></table>"
    )
    doc = read_document(html)
    assert [b.kind for b in doc.blocks] == ["line", "line", "table"]
    assert doc.blocks[2].grid is not None and doc.blocks[2].grid.name == "table 1"


def test_links_with_their_words_or_title() -> None:
    html = _page(
        POLICY + "<p>현황은 <a href='/f/list.xlsx'>설치현황 내려받기</a>"
        "<a href='/f/d.hwp' title='CCTV 현황(2024).hwp 다운로드'><img src='i.png'></a></p>"
        "<a name='anchor'>no href</a>"
    )
    doc = read_document(html)
    assert doc.links == [
        ("/f/list.xlsx", "설치현황 내려받기"),
        ("/f/d.hwp", "CCTV 현황(2024).hwp 다운로드"),
    ]
    assert doc.link_titles == {"/f/d.hwp": "CCTV 현황(2024).hwp 다운로드"}
    assert doc.blocks[-2].links == doc.links


def test_deeply_nested_content_is_read_in_order() -> None:
    html = _page("<div>" * 200 + "<p>촬영시간 : 24시간</p>" + "</div>" * 200 + POLICY)
    assert [t for _, t in _kinds(html)][:2] == ["촬영시간 : 24시간", "1. 설치근거 및 설치목적"]


def test_nesting_past_the_parsers_limit_is_reported_not_silently_cut() -> None:
    html = _page("<p>앞 문단</p>" + "<div>" * 300 + "<p>깊은 문단</p>" + "</div>" * 300 + POLICY)
    document = read_document(html)
    assert [i.code for i in document.issues] == ["html_too_deep"]
    assert "앞 문단" in document.text
    shallow = read_document(_page("<div>" * 200 + "<p>촬영시간 : 24시간</p>" + "</div>" * 200))
    assert shallow.issues == []


def test_a_page_without_policy_words_keeps_its_body() -> None:
    assert _kinds(_page("<p>준비 중입니다.</p>")) == [("line", "준비 중입니다.")]
    assert read_document(_page("")).blocks == []
