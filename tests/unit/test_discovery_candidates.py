"""Which links are tried as the policy, in what order (transforms/discovery/candidates.py),
and how the spider's bookkeeping picks the route and the reason (crawler/discovery.py)."""

from __future__ import annotations

from crawler.discovery import REASONS, ROUTES, Deferred, SiteDiscovery, stronger_route
from transforms.discovery.candidates import (
    OWN_WORDS_SCORE,
    earlier_versions,
    newest_dated,
    policy_candidates,
)
from transforms.discovery.markup import Link

CCTV = "영상정보처리기기 운영·관리방침"


def _link(url: str, text: str, context: str = "", how: str = "link") -> Link:
    return Link(f"https://www.example.go.kr{url}", text, context, how)


def _urls(groups) -> list[list[str]]:
    return [[c.url.rsplit(".kr", 1)[1] for c in group] for group in groups]


def test_one_policy_linked_twice_is_asked_for_once() -> None:
    links = [
        _link("/cctv.do", CCTV),
        _link("/cctv.do#top", CCTV),  # the same page
        _link("/menu/cctv.do?menuNo=7", "영상정보처리기기 운영방침"),  # the menu's link
        _link("/privacy.do", "개인정보처리방침"),
    ]
    assert _urls(policy_candidates(links)) == [["/cctv.do", "/menu/cctv.do?menuNo=7"]]


def test_every_distinct_policy_is_a_group_of_its_own() -> None:
    links = [
        _link("/fixed.do", "고정형 영상정보처리기기 운영·관리방침"),
        _link("/mobile.do", "이동형 영상정보처리기기 운영·관리방침"),
        _link("/office.do", "영상정보처리기기 운영·관리방침(사업소)"),
        _link("/main.do", CCTV),
    ]
    groups = policy_candidates(links)
    assert sorted(u for g in _urls(groups) for u in g) == sorted(
        ["/fixed.do", "/mobile.do", "/office.do", "/main.do"]
    )
    assert all(len(g) == 1 for g in groups)


def test_the_registrys_own_words_win_and_the_rest_fall_back() -> None:
    links = [_link("/cctv.do", CCTV), _link("/privacy.do", "개인정보처리방침")]
    groups = policy_candidates(links, own_words="개인정보처리방침")
    assert _urls(groups) == [["/privacy.do", "/cctv.do"]]
    assert groups[0][0].score == OWN_WORDS_SCORE


def test_earlier_versions_files_and_links_already_asked_are_not_candidates() -> None:
    links = [
        _link("/cctv.do", CCTV),
        _link("/cctv.do?v=1", CCTV, context=f"{CCTV} 2016.05.01"),
        _link("/cctv_old.do", "이전 영상정보처리기기 운영방침 보기"),
        _link("/files/cctv.hwp", "영상정보처리기기 운영방침.hwp"),
        _link("/asked.do", "이동형 영상정보처리기기 운영·관리방침"),
    ]
    skip = frozenset({"https://www.example.go.kr/asked.do"})
    assert _urls(policy_candidates(links, skip=skip)) == [["/cctv.do"]]
    assert {link.url.rsplit(".kr", 1)[1] for link in earlier_versions(links)} == {
        "/cctv.do?v=1",
        "/cctv_old.do",
    }


def test_a_link_waiting_for_a_script_helper_is_not_a_candidate_yet() -> None:
    waiting = Link(None, CCTV, "", "script_link")
    assert policy_candidates([waiting]) == []


def test_on_a_board_of_dated_posts_the_newest_is_in_force() -> None:
    posts = [
        _link("/bbs/view.do?nttId=4", CCTV, context=f"1 {CCTV} 2019-03-01 120"),
        _link("/bbs/view.do?nttId=9", CCTV, context=f"2 {CCTV} 2024-01-02 151"),
        _link("/bbs/view.do?nttId=2", "이전 " + CCTV, context="2025-01-01"),
        _link("/bbs/view.do?nttId=1", "방범용 CCTV 추가 설치 안내", context="2025-02-01"),
    ]
    assert policy_candidates(posts) == []  # every one is dated
    newest = newest_dated(posts)
    assert newest is not None and newest.url.endswith("nttId=9")
    assert newest_dated(posts, skip=frozenset({newest.url})).url.endswith("nttId=4")
    assert newest_dated([_link("/cctv.do", CCTV)]) is None


def test_routes_combine_to_the_most_telling() -> None:
    assert stronger_route(None, "image_link") == "image_link"
    assert stronger_route("sitemap", "script_link") == "sitemap"
    assert stronger_route("link", "board") == "board"
    assert stronger_route("override", "frame") == "override"
    assert ROUTES[-1] == "link"


def test_a_miss_gives_the_reason_of_the_furthest_stage() -> None:
    site = SiteDiscovery()
    assert site.reason() == ("no_link", "")
    site.found("sitemap", "http_status", "/sitemap.do")  # a side branch: not why
    assert site.reason() == ("no_link", "")
    site.found("homepage", "robots", "/")
    assert site.reason() == ("robots", "/")
    site.found("policy", "http_status", "/old.do")
    site.found("policy", "needs_js", "/cctv.do")
    site.found("policy", "not_a_policy", "/login.do")
    assert site.reason() == ("needs_js", "/cctv.do")
    assert REASONS.index("needs_js") < REASONS.index("not_a_policy")


def test_deferred_requests_come_in_batches_of_priority() -> None:
    site = SiteDiscovery()
    site.deferred = [
        Deferred(1, "1", "/sitemap.do", "sitemap", "sitemap", "/", 1),
        Deferred(0, "1", "/fallback.do", "policy", "link", "/", 1),
        Deferred(1, "1", "/privacy.do", "privacy", "privacy_page", "/", 1),
    ]
    assert [d.url for d in site.next_batch()] == ["/fallback.do"]
    assert [d.url for d in site.next_batch()] == ["/sitemap.do", "/privacy.do"]
    assert site.next_batch() == []
