"""`cctv diff` on two crawls of a local archive: the policy's retention, one camera count and
one item of 시행령 제25조제1항 change, and the diff says each, field by field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from archive.paths import data_paths
from archive.writer import ArchiveWriter
from tests.support import archive_response, run_cctv

pytestmark = [pytest.mark.slow, pytest.mark.cli]

GIMCHEON = "5060000"
URL = "https://www.gimcheon.go.kr/portal/contents.do?mId=0607"
ITEM_7 = """<h3>7. 영상정보의 안전성 확보조치</h3>
<p>관리적·기술적·물리적 안전성 확보조치로 접근통제 및 접근권한 제한, 암호화 기술을 적용합니다.</p>
"""
PAGE = """<html><head><meta charset="utf-8"><title>영상정보처리기기 운영·관리 방침</title></head>
<body><div id="contents">
<h2>김천시 영상정보처리기기 운영·관리 방침</h2>
<h3>1. 영상정보처리기기의 설치 근거 및 설치 목적</h3>
<p>개인정보 보호법 제25조제1항에 따라 범죄 예방 및 시설안전을 위하여 설치·운영합니다.</p>
<h3>2. 설치 대수, 설치 위치 및 촬영 범위</h3>
<table><thead><tr><th>설치 목적</th><th>설치 위치 및 촬영 범위</th><th>설치 대수</th></tr></thead>
<tbody>
<tr><td>시설안전</td><td>본관 출입구</td><td>{count}대</td></tr>
<tr><td>범죄예방</td><td>주차장</td><td>4대</td></tr>
<tr><td>화재예방</td><td>문서고</td><td>2대</td></tr>
</tbody></table>
<h3>3. 관리책임자 및 접근권한자</h3>
<p>관리책임자: 회계과장 (054-420-6000), 접근권한자: 청사관리 담당자</p>
<h3>4. 영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법</h3>
<p>촬영시간 : 24시간 연속 촬영</p>
<p>보관기간 : 촬영일로부터 {days}일</p>
<p>보관장소 : 본관 통제실</p>
<h3>5. 영상정보 확인 방법 및 장소</h3>
<p>확인 방법: 관리책임자에게 미리 연락하고 통제실을 방문하여 확인합니다.</p>
<h3>6. 정보주체의 영상정보 열람 등 요구에 대한 조치</h3>
<p>정보주체는 개인영상정보 열람·존재확인 청구서를 제출하여 열람을 청구할 수 있습니다.</p>
{item_7}<h3>8. 영상정보처리기기 운영·관리 방침 변경에 관한 사항</h3>
<p>이 방침은 2026년 1월 1일부터 시행합니다.</p>
</div></body></html>
"""


def _crawl(root: Path, crawl_id: str, day: int, **page: object) -> None:
    with ArchiveWriter(data_paths(root), crawl_id) as writer:
        archive_response(
            writer,
            URL,
            PAGE.format(**page).encode(),
            fetched_at=dt.datetime(2026, 11, day, tzinfo=dt.UTC),
            inst_code=GIMCHEON,
            role="policy",
        )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("diff")
    _crawl(root, "crawl-1", 1, count=11, days=30, item_7=ITEM_7)
    _crawl(root, "crawl-2", 8, count=12, days=60, item_7="")  # item 7 dropped
    return root


def test_the_diff_names_each_change(archive: Path) -> None:
    result = run_cctv("diff", data_dir=archive)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "crawl-1 → crawl-2"
    assert "policies changed: 5060000" in lines
    assert "5060000 경상북도 김천시" in lines
    policy = "  policy /portal/contents.do?mId=0607:"
    assert f"{policy} retention_days_max 30 → 60" in lines
    assert f"{policy} retention_days_min 30 → 60" in lines
    assert f"{policy} item 7 dropped" in lines
    assert "  camera total: 17 → 18" in lines
    [count] = [line for line in lines if line.startswith("  row changed") and "본관 출입구" in line]
    assert "camera_count 11 → 12" in count and "retention_days 30 → 60" in count
    assert "(table 1, row 2)" in count
    assert lines[-1] == "camera rows: 3 changed, 0 added, 0 removed"


def test_the_json_diff_is_one_document_with_every_field(archive: Path) -> None:
    result = run_cctv("diff", "--json", data_dir=archive)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)  # nothing else on stdout
    assert (document["from"], document["to"]) == ("crawl-1", "crawl-2")
    [inst] = document["institutions"]
    assert (inst["inst_code"], inst["name"], inst["policy"]) == (
        GIMCHEON,
        "경상북도 김천시",
        "changed",
    )
    [policy] = inst["policies"]
    assert policy["change"] == "changed" and policy["text_changed"] is True
    fields = {f["field"]: (f["before"], f["after"]) for f in policy["fields"]}
    assert fields == {"retention_days_min": (30, 60), "retention_days_max": (30, 60)}
    assert (policy["items_added"], policy["items_dropped"]) == ([], [7])
    assert inst["camera_total"] == {"before": 17, "after": 18}
    rows = {r["row"]: r for r in inst["rows"]}
    entrance = next(r for key, r in rows.items() if "본관 출입구" in key)
    assert entrance["change"] == "changed"
    assert {f["field"]: (f["before"], f["after"]) for f in entrance["fields"]} == {
        "camera_count": (11, 12),
        "retention_days": (30, 60),
    }
    parking = next(r for key, r in rows.items() if "주차장" in key)
    assert [f["field"] for f in parking["fields"]] == ["retention_days"]


def test_the_same_crawl_twice_has_nothing_to_report(archive: Path) -> None:
    result = run_cctv("diff", "--from", "crawl-1", "--to", "crawl-1", "--json", data_dir=archive)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["institutions"] == [] and document["policies_changed"] == []
    text = run_cctv("diff", "--from", "crawl-2", "--to", "crawl-2", data_dir=archive)
    assert "camera rows: no change" in text.stdout.splitlines()
