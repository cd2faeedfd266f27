"""Which links matter: the policy page (found by its link text) and attachment downloads.

Sites word the policy link in many ways (영상정보처리기기 운영·관리방침, 운영방침,
영상정보처리기기운영, CCTV 운영·관리 방침, 고정형·이동형 …), so links are scored on
normalised text rather than matched against a list of URLs.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from transforms.text import compact

_DEVICE = re.compile(
    r"(고정형|이동형)?(·|및)?(영상정보처리기기|영상정보처리장치|CCTV|cctv|폐쇄회로)"
)
_POLICY = re.compile(r"(운영|관리|운영·관리|운영관리)(방침|지침)?|방침")
_NOT_POLICY = re.compile(
    r"개인정보처리방침|개인정보보호방침|민원|설치요청|설치신청|위치|지도|현황보기|열람"
)
_FILE_EXT = re.compile(r"\.(xlsx|xls|csv|hwp|hwpx|pdf|zip)(?:$|[?#])", re.I)
_DOWNLOAD = re.compile(
    r"(file_?down|down_?load|download|filedown|atchfileid|fileSn|file_?id=|getfile|downfile|"
    r"fms/|attach)",
    re.I,
)
_SITEMAP = re.compile(r"사이트맵|sitemap|전체메뉴", re.I)


def policy_link_score(text: str) -> int:
    """0 when the link is not a CCTV policy link; higher is more certain."""
    t = compact(text)
    if not t or _NOT_POLICY.search(t):
        return 0
    device = _DEVICE.search(t)
    if not device:
        return 0
    score = 2
    if "방침" in t:
        score += 3
    if _POLICY.search(t[device.end() :]) or t.endswith("운영"):
        score += 2
    if "고정형" in t or "이동형" in t:
        score += 1
    return score if score >= 4 else 0


_PRIVACY = re.compile(r"개인정보(처리|보호)방침")
# What a page needs to hold to be a CCTV policy even under another title.
_CCTV_ITEMS = re.compile(r"영상정보처리기기|CCTV")
_CCTV_FACTS = re.compile(r"보관기간|촬영시간|설치대수|설치위치|관리책임자|보관장소")


def is_privacy_link(text: str) -> bool:
    return bool(_PRIVACY.search(compact(text)))


def has_cctv_policy(text: str) -> bool:
    """A page (a 개인정보 처리방침, say) that sets out the CCTV items: the device named
    and at least three of the facts the Decree asks for."""
    flat = compact(text)
    return bool(_CCTV_ITEMS.search(flat)) and len(set(_CCTV_FACTS.findall(flat))) >= 3


_DATED = re.compile(r"(19|20)\d\d\s*[.\-/년]\s*\d{1,2}")
_EARLIER = re.compile(r"이전|지난|과거|변경전|개정전|종전|폐지")


def is_earlier_version_link(context: str) -> bool:
    """A link to an earlier version of the policy, judged by its surroundings (the list
    item, its title attribute): "2012. 03. 30 ~ 2018. 03. 31. (클릭 … 으로 이동)" or
    "이전 방침 보기". Earlier versions are history, not another policy in force."""
    flat = compact(context)
    return bool(_EARLIER.search(flat) or _DATED.search(flat))


def is_sitemap_link(text: str) -> bool:
    return bool(_SITEMAP.search(compact(text)))


def is_attachment_link(href: str, text: str = "") -> bool:
    """A link that downloads a file rather than opening a page."""
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return False
    parts = urlsplit(href)
    if _FILE_EXT.search(parts.path) or _FILE_EXT.search(compact(text)):
        return True
    if _DOWNLOAD.search(parts.path) or _DOWNLOAD.search(parts.query):
        return True
    query = parse_qs(parts.query)
    return any(k.lower() in ("atchfileid", "filesn", "fileid", "file_id") for k in query)
