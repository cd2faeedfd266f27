"""Who made a release and on what terms it may be used, stated once for the release's
README, datapackage.json and citation line.

The code is MIT (LICENSE, as pyproject.toml names it). The data is not ours to license
more widely than its sources: the national standard data is published under 공공누리
제1유형 (source attribution), and the policies are public notices each institution must
publish (개인정보 보호법 제25조제7항), quoted with their URL and capture; a page that
carries its own 공공누리 type keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Project:
    package: str
    title: str
    description: str
    holder: str
    code_licence: str
    keywords: tuple[str, ...]
    sources: tuple[dict[str, str], ...]
    version: str


PROJECT = Project(
    package="cctv-disclosures",
    title="공공기관 영상정보처리기기 운영·관리 방침 데이터",
    description=(
        "한국 공공기관이 공개한 영상정보처리기기(CCTV) 운영·관리 방침을 수집해 WARC로 보관하고, "
        "설치 현황·보관기간·필수 기재사항을 한 스키마로 정리해 전국CCTV표준데이터와 맞대어 본 "
        "데이터입니다."
    ),
    holder="cctv-disclosures contributors",
    code_licence="MIT",
    keywords=("CCTV", "영상정보처리기기", "개인정보 보호법", "공공데이터", "보관기간"),
    sources=(
        {
            "title": "각 기관의 영상정보처리기기 운영·관리 방침 (기관 누리집, 수집 시점의 사본)",
        },
        {
            "title": "전국CCTV표준데이터 (공공데이터포털, 지방행정 인허가 데이터)",
        },
    ),
    version="0.1.0",
)

# The data's terms, as datapackage.json `licenses` entries.
DATA_LICENCES: tuple[dict[str, str], ...] = (
    {
        "name": "KOGL-Type1",
        "title": "공공누리 제1유형 (출처표시): 전국CCTV표준데이터에서 온 행과 값",
        "path": "https://www.kogl.or.kr/info/licenseType1.do",
    },
    {
        "name": "public-notice",
        "title": (
            "공고문 인용: 개인정보 보호법 제25조제7항에 따라 각 기관이 공개한 운영·관리 방침 "
            "(저작권법 제7조의 고시·공고), 출처 URL과 수집 시점을 함께 밝힘"
        ),
    },
)

# The release README's licence section, one line per term.
LICENCE_LINES: tuple[str, ...] = (
    f"- 코드: {PROJECT.code_licence} 라이선스 (저장소의 LICENSE, 저작권자 {PROJECT.holder}).",
    "- 전국CCTV표준데이터에서 온 행(`standard_points`, 대조 결과): 공공누리 제1유형(출처표시). "
    "출처로 공공데이터포털 전국CCTV표준데이터를 밝히면 상업적 이용과 변경이 가능합니다.",
    "- 운영·관리 방침에서 읽은 행(방침, 설치 현황, 담당자, 수탁업체): 개인정보 보호법 "
    "제25조제7항에 따라 공개된 공고문을 인용한 것으로, 저작권법 제7조의 고시·공고에 해당합니다. "
    "행마다 출처 URL(`source_url`)과 보관본(`capture_sha256`)이 있습니다. 자체 공공누리 유형을 "
    "밝힌 누리집(예: 제4유형)은 그 조건을 따르십시오.",
)
