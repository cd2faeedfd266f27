"""The hint `cctv parse` gives the parser: the registry's row for a named code, the area
code alone for a code it does not know."""

from __future__ import annotations

from registry import load_registry
from registry.area_codes import area_code_for
from registry.hints import document_hint


def test_nobody_named_gives_only_the_institutions_a_page_may_name() -> None:
    hint = document_hint()
    assert (hint.code, hint.name, hint.area_code) == (None, None, None)
    codes = {row.inst_code for row in hint.directory.rows}
    assert {i.inst_code for i in load_registry()} <= codes


def test_a_registry_code_gives_its_row() -> None:
    seoul = next(i for i in load_registry() if i.name == "서울특별시")
    hint = document_hint(seoul.inst_code)
    assert (hint.code, hint.name, hint.area_code) == (seoul.inst_code, seoul.name, "02")
    assert hint == seoul.hint(hint.directory)


def test_an_unknown_code_still_gives_its_area_code() -> None:
    hint = document_hint("6260999")
    assert (hint.code, hint.name) == ("6260999", None)
    assert hint.area_code == area_code_for("6260999")
