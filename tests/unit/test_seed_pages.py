"""The four seed institutions' pages, as bundled in the sample web, must parse right.

The sample pages carry the seed texts (../shared/seeds); the first test proves it, the
others pin what `parse_document` must extract from each (the issue's must-hold list).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from domain.text import compact
from registry.institutions import InstitutionHint
from tests.seeds import GIMCHEON, GUNSAN, INSTITUTIONS, MICHUHOL, SEOUL, TEMPLATES
from tests.support import PROJECT, SAMPLE_SITES
from transforms.contract import parse_document
from transforms.encoding import decode_html

SEEDS = PROJECT.parent / "shared" / "seeds"
# The 군산 seed goes on with site news after the policy; the sample keeps a few items.
SEED_ENDS = {GUNSAN.code: "최근수정일"}
SITES = {
    seed.code: (seed.host, seed.seed, seed.area_code, SEED_ENDS.get(seed.code))
    for seed in INSTITUTIONS
}


def page_bytes(code: str) -> bytes:
    return (SAMPLE_SITES / SITES[code][0] / "policy.html").read_bytes()


@cache
def parsed(code: str) -> dict:
    host, _, area, _ = SITES[code]
    return parse_document(
        page_bytes(code),
        url=f"https://{host}/policy",
        institution=InstitutionHint(code=code, area_code=area),
    )


@pytest.mark.parametrize("code", SITES)
def test_sample_page_carries_every_line_of_its_seed(code: str) -> None:
    host, seed, _, end = SITES[code]
    seed_path = SEEDS / f"{seed}.txt"
    if not seed_path.exists():
        pytest.skip(f"seed text not available: {seed_path}")
    root = lxml.html.fromstring(decode_html(page_bytes(code)).text)
    # Text renderings of a page include image alt text (the 공공누리 badge).
    page = compact(root.text_content() + " ".join(root.xpath("//img/@alt")))
    lines = []
    for line in seed_path.read_text(encoding="utf-8").splitlines():
        if end and end in line:
            break
        line = re.sub(r"^[·\-•*①-⑳]+", "", compact(line))
        if len(line) >= 10:
            lines.append(line)
    missing = [line for line in lines if line not in page]
    assert not missing, f"{host}: {len(missing)} seed lines missing, e.g. {missing[:3]}"


def test_michuhol_department_table() -> None:
    cameras = parsed(MICHUHOL.code)["cameras"]
    assert len(cameras) == MICHUHOL.camera_rows
    assert sum(c["camera_count"] for c in cameras) == MICHUHOL.page_cameras
    assert not any(c["is_template"] for c in cameras)
    assert {7, 14, 20, 30} <= {c["retention_days"] for c in cameras}
    not_recorded = [c for c in cameras if c["retention_raw"] == "녹화무"]
    assert len(not_recorded) == 4
    assert all(c["recording"] is False and c["retention_days"] == 0 for c in not_recorded)
    dashes = [c for c in cameras if c["retention_raw"] is None]
    assert {c["unit"] for c in dashes} == {"민원여권과", "교통정책과"}
    assert all(c["retention_days"] is None for c in dashes)
    mobile = [c for c in cameras if c["device_type"] == "mobile"]
    assert [(c["camera_count"], c["location"]) for c in mobile] == [(6, "미추홀구 단속차량 탑재형")]
    by_ref = {c["row_ref"]: c for c in cameras}
    first = by_ref["table 1, row 3"]
    assert (first["unit"], first["phone"], first["storage_location"]) == (
        "미디어홍보실",
        "032-880-4031",
        "관리실",
    )
    assert first["purpose"] == "시설물관리" and first["legal_basis"] == [3]
    shared = [c for c in cameras if c["unit"] == "문화예술과"]
    assert len(shared) == 6 and {c["retention_days"] for c in shared} == {30}


def test_michuhol_policy() -> None:
    policy = parsed(MICHUHOL.code)["policy"]
    assert policy["title"] == "고정형·이동형 영상정보처리기기 운영·관리 방침"
    assert policy["device_scope"] == "both"
    assert (policy["retention_days_min"], policy["retention_days_max"]) == (7, 30)
    assert policy["recording_hours"] == "24h"  # every row that states hours says 24시간
    assert policy["enacted_on"] == "2012-03-30"
    assert policy["revised_on"] == "2023-03-31"
    assert policy["is_template"] is False
    assert "CCTV 통합관제센터" in policy["storage_locations"]


@pytest.mark.parametrize("code", [seed.code for seed in TEMPLATES])
def test_template_pages_give_no_numbers(code: str) -> None:
    result = parsed(code)
    assert result["policy"]["is_template"] is True
    assert result["cameras"], "the example row is kept, flagged"
    for camera in result["cameras"]:
        assert camera["is_template"] is True
        assert camera["camera_count"] is None
        assert camera["retention_days"] is None
        assert camera["storage_location"] is None
    assert result["policy"]["retention_days_max"] is None
    assert result["policy"]["contractors"] == []


def test_placeholder_contacts_are_dropped_and_role_only_contacts_kept() -> None:
    assert parsed(SEOUL.code)["policy"]["contacts"] == []
    gunsan = {
        (c["role"], c["title"], c["name"], c["phone"])
        for c in parsed(GUNSAN.code)["policy"]["contacts"]
    }
    assert gunsan == {
        ("관리책임자", "설치부서의 장", None, None),
        ("접근권한자", "설치부서의 담당자", None, None),
    }


def test_seoul_dates_and_attachments() -> None:
    policy = parsed(SEOUL.code)["policy"]
    assert policy["title"] == "영상정보처리기기 운영관리 방침"
    assert policy["enacted_on"] == "2012-03-30"
    assert policy["revised_on"] == "2020-06-07"
    assert len(policy["attachments"]) >= 1
    assert all(a["text"] == "세부파일 내역(클릭)" for a in policy["attachments"])


def test_gunsan_points_to_its_attachment() -> None:
    policy = parsed(GUNSAN.code)["policy"]
    assert policy["title"] == "영상정보처리기기운영"
    assert policy["revised_on"] == "2022-02-22"
    assert policy["attachments"][0]["text"].startswith("붙임-군산시 CCTV 운영현황")
    assert policy["attachments"][0]["url"].startswith("https://www.gunsan.go.kr/cmm/fms/FileDown")


def test_gimcheon_policy() -> None:
    result = parsed(GIMCHEON.code)
    policy = result["policy"]
    assert result["cameras"] == []
    assert policy["retention_days_max"] == 30
    assert policy["storage_locations"] == ["김천시 통합관제센터"]
    assert policy["recording_hours"] == "24h"
    assert policy["items_present"] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert policy["contractors"] == [
        {"name": "서호전설", "phone": "054-331-3912"},
        {"name": "(주)에스원", "phone": "054-433-7202"},
    ]
    contacts = {(c["role"], c["name"], c["phone"]) for c in policy["contacts"]}
    assert contacts == {
        ("보호책임자", "이삼근", "054-420-6012"),
        ("관리책임자", "권영춘", "054-420-6070"),
        ("접근권한자", "이승철", "054-420-6880"),
        ("접근권한자", "노승범", "054-420-6881"),
    }
    assert policy["attachments"][0]["text"] == "설치 현황 다운로드"
    codes = [i["code"] for i in result["issues"]]
    assert "inventory_elsewhere" in codes


@pytest.mark.parametrize("code", SITES)
def test_every_seed_states_the_core_items(code: str) -> None:
    assert set(parsed(code)["policy"]["items_present"]) >= {1, 2, 3, 4, 5, 6, 7}


def test_contract_shape() -> None:
    result = parsed(MICHUHOL.code)
    assert result["contract"] == "cctv-parse/1"
    assert list(result) == ["contract", "source", "institution", "policy", "cameras", "issues"]
    assert list(result["source"]) == ["path", "url", "sha256", "media_type"]
    assert set(result["policy"]) == {
        "title",
        "device_scope",
        "items_present",
        "item_statements",
        "recording_hours",
        "retention_days_max",
        "retention_days_min",
        "storage_locations",
        "enacted_on",
        "revised_on",
        "contractors",
        "contacts",
        "attachments",
        "is_template",
        "stated_total",
    }
    assert list(result["cameras"][0]) == [
        "unit",
        "purpose_raw",
        "purpose",
        "legal_basis",
        "camera_count",
        "location",
        "recording_hours",
        "recording",
        "retention_days",
        "retention_raw",
        "storage_location",
        "device_type",
        "is_template",
        "phone",
        "latitude",
        "longitude",
        "row_ref",
    ]
    for issue in result["issues"]:
        assert list(issue) == ["level", "code", "message", "row_ref"]


def test_unknown_values_are_null_never_zero_or_empty() -> None:
    for code in SITES:
        for camera in parsed(code)["cameras"]:
            assert "" not in camera.values()
            if camera["retention_raw"] is None:
                assert camera["retention_days"] is None


def test_paths_are_not_needed(tmp_path: Path) -> None:
    copy = tmp_path / "page.html"
    copy.write_bytes(page_bytes(GUNSAN.code))
    result = parse_document(copy.read_bytes(), path=str(copy))
    assert result["source"]["path"] == str(copy)
    assert result["institution"] == {
        "name": None,
        "code": None,
        "identified_by": None,
        "confidence": None,
    }
