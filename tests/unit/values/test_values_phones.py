"""Phone numbers in canonical form; local numbers completed from the institution's 광역."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.area_codes import AREA_CODES, area_code_for
from transforms.values import find_phones, normalize_phone

PHONE = re.compile(r"^(0\d{1,2}-\d{3,4}-\d{4}|1\d{3}-\d{4})$")
SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
FRAGMENTS = ["0", "02", "054", "010", "1588", "-", ")", "(", ".", " ", "000", "0000", "880", "4031"]


@pytest.mark.parametrize(
    ("text", "area", "phone"),
    [
        ("054-420-6012", None, "054-420-6012"),
        ("(880-4031)", "032", "032-880-4031"),
        ("미디어홍보\n실장\n(880-4031)", "032", "032-880-4031"),
        ("(880-4031)", None, None),
        ("054)420-6012", None, "054-420-6012"),
        ("(054) 420-6012", None, "054-420-6012"),
        ("054.420.6012", None, "054-420-6012"),
        ("0544206012", None, "054-420-6012"),
        ("02-2148-3033", None, "02-2148-3033"),
        ("02 731 2120", None, "02-731-2120"),
        ("027312120", None, "02-731-2120"),
        ("０５４－４２０－６０１２", None, "054-420-6012"),
        ("010-1234-5678", None, "010-1234-5678"),
        ("1588-1234", None, "1588-1234"),
        ("1661-2345", "032", "1661-2345"),
        ("118", None, None),
        ("02-000-0000", None, None),
        ("000-0000", "02", None),
        ("2013-2014", "032", None),
        ("2012. 03. 30", None, None),
        ("대표전화 : 02-120 또는 02-731-2120", None, "02-731-2120"),
        ("안전총괄과(032-880-4133)또는 개인정보보호 종합지원포털(118)", None, "032-880-4133"),
        ("", None, None),
        (None, "032", None),
    ],
)
def test_normalize(text: str | None, area: str | None, phone: str | None) -> None:
    assert normalize_phone(text, area) == phone


def test_find_all_in_order_without_repeats() -> None:
    text = "서호전설(054-331-3912) (주)에스원(054-433-7202), 다시 054-331-3912"
    assert find_phones(text) == ["054-331-3912", "054-433-7202"]


def test_find_mixed_local_and_full() -> None:
    assert find_phones("(880-4031) 032-880-4084", "032") == ["032-880-4031", "032-880-4084"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_gimcheon_seed_contacts() -> None:
    text = (SEEDS / "000_e8fe9519f121d4c0.txt").read_text(encoding="utf-8")
    assert find_phones(text) == [
        "054-331-3912",
        "054-433-7202",
        "054-420-6012",
        "054-420-6070",
        "054-420-6880",
        "054-420-6881",
    ]


@pytest.mark.parametrize(
    ("inst", "parent", "area"),
    [
        ("6110000", None, "02"),
        ("6280000", None, "032"),
        ("3510500", "6280000", "032"),
        ("6470000", None, "054"),
        ("6420000", None, "033"),
        ("6530000", None, "033"),
        ("6450000", None, "063"),
        ("6540000", None, "063"),
        ("5690000", None, "044"),
        ("6500000", None, "064"),
        ("6130000", None, None),
        ("5825000", "6130000", None),
        ("5060000", None, None),
        (None, None, None),
        ("", "", None),
        (" 6110000 ", None, "02"),
    ],
)
def test_area_code_for(inst: str | None, parent: str | None, area: str | None) -> None:
    assert area_code_for(inst, parent) == area


def test_area_codes_are_well_formed() -> None:
    assert all(
        re.fullmatch(r"\d{7}", k) and re.fullmatch(r"0\d{1,2}", v) for k, v in AREA_CODES.items()
    )
    assert "6130000" not in AREA_CODES


@settings(max_examples=200, database=None, deadline=None)
@given(st.text(), st.sampled_from([None, "02", "032", "054", "x", ""]))
def test_arbitrary_text(text: str, area: str | None) -> None:
    for phone in find_phones(text, area):
        assert PHONE.match(phone)


@settings(max_examples=200, database=None, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 10**11).map(str)), max_size=8
    ).map("".join),
    st.sampled_from([None, "02", "032"]),
)
def test_fragments(text: str, area: str | None) -> None:
    phones = find_phones(text, area)
    assert len(phones) == len(set(phones))
    assert all(PHONE.match(p) for p in phones)
    assert normalize_phone(text, area) == (phones[0] if phones else None)


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("032) 760-4154, 4171", ["032-760-4154", "032-760-4171"]),
        ("032-760-4154, 760-4171", ["032-760-4154", "032-760-4171"]),
        ("☎051-717-0290", ["051-717-0290"]),
        ("관제센터(☎ 051-717-0290)", ["051-717-0290"]),
        ("☎ 02-2133-0000~1", ["02-2133-0000", "02-2133-0001"]),
        ("02-2133-0008~10", ["02-2133-0008", "02-2133-0009", "02-2133-0010"]),
        ("02-2133-1234(내선 1234, 1235)", ["02-2133-1234"]),
        ("054-420-6012, 2020. 3. 1. 시행", ["054-420-6012"]),
        ("054-420-6012, 2026년", ["054-420-6012"]),
        ("02-2133-0000~5000", ["02-2133-0000"]),
    ],
)
def test_numbers_sharing_a_prefix(text: str, phones: list[str]) -> None:
    """The second number of "032) 760-4154, 4171" shares the first one's prefix; an
    extension list or a date after a number is no number of its own."""
    assert find_phones(text) == phones
