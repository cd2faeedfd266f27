"""Institution codes as people type them: codes, names, typos, the 5-digit 시군구 code."""

from __future__ import annotations

import pytest

from registry.lookup import (
    Known,
    UnknownInstitution,
    registry_institutions,
    resolve,
    resolve_all,
)

KNOWN = [
    Known("5060000", "경상북도 김천시", "김천시", ("47150",)),
    Known("3510500", "인천광역시 미추홀구", "미추홀구", ("28177",)),
    Known("3010000", "서울특별시 중구", "중구", ("11140",)),
    Known("3250000", "부산광역시 중구", "중구", ("26110",)),
    Known("4200000", "강원도 강릉시", "강릉시", ("42150",), current=False),
    Known("4201000", "강원특별자치도 강릉시", "강릉시", ("51150",)),
]


def message(value: str) -> str:
    with pytest.raises(UnknownInstitution) as caught:
        resolve(value, KNOWN, "the registry")
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_codes_and_unambiguous_names_resolve() -> None:
    assert resolve("5060000", KNOWN, "x") == "5060000"
    assert resolve(" 김천시 ", KNOWN, "x") == "5060000"
    assert resolve("인천광역시 미추홀구", KNOWN, "x") == "3510500"
    assert resolve("인천광역시미추홀구", KNOWN, "x") == "3510500"
    # Two 강릉시 codes (before and after 2023-06-11): the one in office is meant.
    assert resolve("강릉시", KNOWN, "x") == "4201000"
    assert resolve_all(["김천시", "5060000", "미추홀구"], KNOWN, "x") == ["5060000", "3510500"]


def test_a_mistyped_code_suggests_the_close_one() -> None:
    assert message("506000") == (
        "unknown institution code '506000'; did you mean 5060000 경상북도 김천시?"
    )
    assert message("3510501") == (
        "unknown institution code '3510501'; did you mean 3510500 인천광역시 미추홀구?"
    )


def test_a_sigungu_code_points_to_its_institution() -> None:
    expected = "did you mean 5060000 경상북도 김천시 (시군구 코드 47150)?"
    assert message("47150").endswith(expected)
    assert message("4715").endswith(expected)


def test_a_name_typed_as_a_code_gets_codes() -> None:
    assert message("김천") == "unknown institution '김천'; did you mean 5060000 경상북도 김천시?"
    assert message("미추홀구청").endswith("did you mean 3510500 인천광역시 미추홀구?")


def test_an_ambiguous_name_lists_the_codes() -> None:
    assert message("중구") == (
        "'중구' names 2 institutions (3010000 서울특별시 중구, 3250000 부산광역시 중구); "
        "give the code"
    )


def test_nothing_close() -> None:
    assert message("zzz") == (
        "unknown institution 'zzz'; none of the 6 institutions in the registry is close"
    )


def test_the_registry_carries_the_sigungu_codes() -> None:
    known = {k.code: k for k in registry_institutions()}
    assert known["5060000"].aliases == ("47150",)
    assert resolve("김천시", list(known.values()), "the registry") == "5060000"
