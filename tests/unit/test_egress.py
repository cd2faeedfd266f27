"""What may leave the crawler: schemes, addresses, redirect hosts, the page budget, and the
resolver that repeats the address check when a connection is made."""

from __future__ import annotations

import pytest
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from crawler.budget import CAP_EVENT, PageBudget
from crawler.egress import (
    GuardedResolver,
    address_refusal,
    local_netlocs,
    registered_hosts,
    url_refusal,
    within_hosts,
)
from registry import Institution


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/zero",
        "FILE:///etc/passwd",
        "ftp://127.0.0.1/x.xlsx",
        "data:text/plain,hi",
        "gopher://127.0.0.1:70/1",
        "s3://bucket/key",
        "javascript:alert(1)",
        "jar:http://x/y!/z",
        "//no-scheme.example/x",
        "http://[::1/x.xlsx",
        "http://127.0.0.1:99999/x",
    ],
)
def test_only_http_and_https_leave_the_crawler(url: str) -> None:
    assert url_refusal(url) is not None
    assert url_refusal("http://www.seoul.go.kr/") is None
    assert url_refusal("HTTPS://www.seoul.go.kr/") is None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not a public address"),
        ("192.0.2.10", "private"),  # documentation range
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
    ],
)
def test_addresses_that_are_not_public_are_refused(address: str, kind: str) -> None:
    reason = address_refusal(address)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "211.234.10.1", "2001:4860:4860::8888"])
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(address) is None


def _inst(homepage: str, policy_url: str | None = None, network: str | None = None):
    return Institution(
        inst_code="6110000",
        name="서울특별시",
        short_name="서울특별시",
        level="sido",
        parent_code=None,
        homepage=homepage,
        policy_url=policy_url,
        network=network,
    )


def test_redirects_stay_within_the_registered_hosts_and_their_subdomains() -> None:
    hosts = registered_hosts(_inst("https://www.seoul.go.kr", "https://news.seoul.go.kr/cctv"))
    assert hosts == {"www.seoul.go.kr", "news.seoul.go.kr"}
    assert within_hosts("www.seoul.go.kr", hosts)
    assert within_hosts("seoul.go.kr", hosts)  # www. is the site, not the domain
    assert within_hosts("eminwon.seoul.go.kr", hosts)
    assert within_hosts("WWW.SEOUL.GO.KR.", hosts)
    assert not within_hosts("go.kr", hosts)
    assert not within_hosts("evilseoul.go.kr", hosts)
    assert not within_hosts("seoul.go.kr.evil.example", hosts)
    assert not within_hosts("www.busan.go.kr", hosts)
    # An address literal has no subdomains: only itself.
    assert within_hosts("127.0.0.1", {"127.0.0.1"})
    assert not within_hosts("27.0.0.1", {"127.0.0.1"})


def test_only_rows_marked_local_may_use_local_addresses() -> None:
    rows = [
        _inst("http://127.0.0.1:8001", "http://127.0.0.1:8002/p", network="local"),
        _inst("http://127.0.0.1:9000"),
    ]
    assert local_netlocs(rows) == ["127.0.0.1:8001", "127.0.0.1:8002"]


def test_the_page_budget_stops_an_institution_and_says_so_once() -> None:
    events: list[tuple[str, dict]] = []

    class Log:
        def event(self, event: str, **fields: object) -> None:
            events.append((event, fields))

    budget = PageBudget(3)
    assert [budget.take("A") for _ in range(4)] == [True, True, True, False]
    assert budget.take("B")  # one institution's cap is its own
    budget.log_cap(Log(), "A", "http://x/4")
    budget.log_cap(Log(), "A", "http://x/5")
    assert [(e, f["inst_code"], f["limit"]) for e, f in events] == [(CAP_EVENT, "A", 3)]
    with pytest.raises(ValueError, match="at least 1"):
        PageBudget(0)


class _Answers:
    """An IResolverSimple that answers from a table: DNS, without a network."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def getHostByName(self, name: str, timeout=()) -> defer.Deferred[str]:
        return defer.succeed(self.table[name])


def _resolve(resolver: GuardedResolver, name: str) -> str | BaseException:
    outcome: list = []
    resolver.getHostByName(name).addCallbacks(outcome.append, lambda f: outcome.append(f.value))
    return outcome[0]


def test_the_resolver_refuses_a_name_that_turns_private_at_connection_time() -> None:
    """DNS rebinding: the request-time check saw a public address; the connection's own
    lookup gets a loopback one and must fail like a name that does not resolve."""
    table = {"rebind.example": "127.0.0.1", "public.example": "8.8.8.8", "localhost": "127.0.0.1"}
    resolver = GuardedResolver(_Answers(table), local_hosts={"localhost"})
    refused = _resolve(resolver, "rebind.example")
    assert isinstance(refused, DNSLookupError) and "loopback" in str(refused)
    assert _resolve(resolver, "public.example") == "8.8.8.8"
    assert _resolve(resolver, "localhost") == "127.0.0.1"  # a registered local site
    table["public.example"] = "169.254.169.254"  # the same name, a second answer
    assert isinstance(_resolve(resolver, "public.example"), DNSLookupError)
