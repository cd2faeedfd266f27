"""Broken and hostile pages end in a clear error or an issue entry, never a crash or a hang."""

from __future__ import annotations

import pytest

from transforms.contract import MAX_PAGE_BYTES, DocumentError, parse_document

POLICY = "<h3>영상정보처리기기 운영·관리 방침</h3><p>보관기간 : 촬영일로부터 30일</p>"


def test_deeply_nested_markup_is_cut_not_recursed() -> None:
    page = "<html><body>" + "<div>" * 50_000 + POLICY + "</div>" * 50_000 + "</body></html>"
    result = parse_document(page.encode())
    assert result["contract"] == "cctv-parse/1"


def test_a_page_over_the_size_limit_is_refused_before_parsing() -> None:
    page = b"<html><body>" + b"<p>" + b"x" * (MAX_PAGE_BYTES + 1) + b"</p></body></html>"
    with pytest.raises(DocumentError, match="larger than"):
        parse_document(page)


def test_a_large_legitimate_page_still_parses() -> None:
    filler = "<li><a href='/news/1'>시정소식 알림</a></li>" * 20_000  # ~1 MB of chrome
    page = f"<html><body><ul class='news'>{filler}</ul><div id='c'>{POLICY}</div></body></html>"
    result = parse_document(page.encode())
    assert result["policy"]["retention_days_max"] == 30


def test_invalid_bytes_in_a_declared_encoding_become_an_issue() -> None:
    page = ("<html><head><meta charset='euc-kr'></head><body>" + POLICY).encode("cp949")
    page += b"\xff\xfe\xfd" * 10 + b"</body></html>"
    result = parse_document(page, content_type="text/html; charset=euc-kr")
    assert "encoding_lossy" in [i["code"] for i in result["issues"]]
    assert result["policy"]["retention_days_max"] == 30


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"<html>",
        b"<html><body><table><tr><td rowspan='x'>",
        b"\x00" * 100 + b"<p>",
        "<p>영상정보처리기기".encode()[:-1],
    ],
)
def test_empty_truncated_and_binary_pages(page: bytes) -> None:
    try:
        result = parse_document(page, content_type="text/html")
    except DocumentError as error:
        assert str(error)
    else:
        assert result["cameras"] == []


def test_entity_expansion_is_not_performed() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<html><body><p>&lol3;</p>" + POLICY + "</body></html>"
    )
    result = parse_document(bomb.encode(), content_type="text/html")
    assert "lollollol" not in str(result)
