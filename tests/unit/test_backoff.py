"""Retries wait before asking again: base × 2^(n-1), capped, or the server's Retry-After."""

from __future__ import annotations

import datetime as dt

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from crawler.backoff import (
    BACKOFF_META,
    BackoffRetryMiddleware,
    RetryLater,
    backoff_seconds,
    parse_retry_after,
)
from crawler.spiders.policy import PolicySpider


@pytest.mark.parametrize(
    ("attempt", "retry_after", "expected"),
    [
        (1, None, 2.0),
        (2, None, 4.0),
        (3, None, 8.0),
        (10, None, 60.0),
        (1, 30.0, 30.0),
        (1, 600.0, 60.0),
        (3, 1.0, 8.0),
    ],
)
def test_backoff_doubles_and_is_capped(attempt, retry_after, expected) -> None:
    assert backoff_seconds(attempt, 2.0, 60.0, retry_after) == expected


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    assert parse_retry_after(b"120") == 120.0
    assert parse_retry_after("Wed, 25 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Wed, 25 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def _middleware(**settings) -> tuple[BackoffRetryMiddleware, list[tuple[Request, float]]]:
    crawler = get_crawler(PolicySpider, {"RETRY_TIMES": 2, **settings})
    crawler.spider = crawler._create_spider()
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    scheduled: list[tuple[Request, float]] = []
    middleware.schedule = lambda retry, wait: scheduled.append((retry, wait))
    return middleware, scheduled


def test_a_503_is_retried_after_the_servers_retry_after() -> None:
    mw, scheduled = _middleware(RETRY_BACKOFF_BASE=1.0, RETRY_BACKOFF_MAX=60.0)
    request = Request("http://127.0.0.1:9/policy", meta={"inst_code": "47150"})
    response = Response(request.url, status=503, headers={"Retry-After": "7"}, request=request)
    with pytest.raises(RetryLater):
        mw.process_response(request, response)
    (retry, wait), *_ = scheduled
    assert wait == retry.meta[BACKOFF_META] == 7.0
    with pytest.raises(RetryLater):
        mw.process_response(retry, Response(retry.url, status=503, request=retry))
    second, wait = scheduled[-1]
    assert wait == 2.0  # attempt 2, no Retry-After: 1 × 2
    assert mw.process_response(second, Response(second.url, status=503)).status == 503  # gave up
    assert len(scheduled) == 2


def test_a_timeout_is_retried_after_a_wait() -> None:
    mw, scheduled = _middleware(RETRY_BACKOFF_BASE=0.5)
    request = Request("http://127.0.0.1:9/policy")
    with pytest.raises(RetryLater):
        mw.process_exception(request, TimeoutError("timed out"))
    assert [wait for _, wait in scheduled] == [0.5]


def test_a_404_is_not_retried() -> None:
    mw, scheduled = _middleware()
    request = Request("http://127.0.0.1:9/policy")
    assert mw.process_response(request, Response(request.url, status=404)).status == 404
    assert not scheduled


def test_the_spider_stays_open_while_a_retry_waits() -> None:
    mw, _ = _middleware()
    mw.spider_idle()  # nothing waiting: the spider may close
    mw.waiting = 1
    with pytest.raises(DontCloseSpider):
        mw.spider_idle()
