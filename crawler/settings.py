"""Scrapy settings: polite by default, every response archived, no control servers open."""

from __future__ import annotations

import os

PROJECT_URL = os.environ.get(
    "CCTV_CONTACT_URL", "https://github.com/cctv-disclosures/cctv-disclosures"
)

BOT_NAME = "cctv-disclosures"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
USER_AGENT = f"cctv-disclosures/0.1 (+{PROJECT_URL})"

ROBOTSTXT_OBEY = True
# Both listen on a port by default in Scrapy 2.19; a crawler has no use for either.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
# Retries of 5xx answers and timeouts wait 2 s, then 4 s (or the server's Retry-After).
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
# Links from the homepage: a redirect, a frame, a site script, the policy, a frame of it, its
# files. The spider refuses deeper requests with a crawl-log event (never silently).
DEPTH_LIMIT = 6
# Government sites do loop (login redirects, language switches); five hops is plenty.
REDIRECT_MAX_TIMES = 5
# A policy page or an inventory is never this large; a larger body is refused and logged.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
# Every certificate is verified; old TLS only for hosts the registry marks `tls=legacy`,
# and missing intermediates come from $CCTV_TLS_EXTRA_CERTS. See crawler/tls.py.
DOWNLOAD_VERIFY_CERTIFICATES = True
DOWNLOADER_CLIENTCONTEXTFACTORY = "crawler.tls.GovernmentTLSPolicy"
CCTV_TLS_LEGACY_HOSTS: list[str] = []
# Only http and https leave the crawler (crawler/egress.py refuses the rest with a crawl-log
# event first): a link to file:///dev/zero or ftp:// on a crawled page is never fetched.
# A stop signal cancels the downloads in progress instead of waiting for them (stopping.py).
DOWNLOAD_HANDLERS = {
    "http": "crawler.stopping.StoppableDownloadHandler",
    "https": "crawler.stopping.StoppableDownloadHandler",
    "file": None,
    "ftp": None,
    "s3": None,
    "data": None,
}
# Addresses are checked again when a connection is made (DNS rebinding); hosts of registry
# rows with `network = local` may be loopback or private, no other host may.
TWISTED_DNS_RESOLVER = "crawler.egress.GuardedResolver"
CCTV_LOCAL_NETLOCS: list[str] = []
# Requests one institution may cost one crawl (crawler/budget.py): a policy needs a handful;
# a site that answers every URL with a page of links would otherwise never end. A crawl
# takes another cap from $CCTV_MAX_PAGES_PER_SITE (pipelines/stages.py crawl()).
CCTV_MAX_PAGES_PER_SITE = 200
COOKIES_ENABLED = False
CCTV_CONDITIONAL_GET = True
HTTPCACHE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # First of all: what may leave the crawler (schemes, redirect hosts, addresses).
    "crawler.egress.EgressMiddleware": 10,
    # Politeness per site (host:port), robots.txt requests included; see crawler/slots.py.
    "crawler.slots.SiteSlotMiddleware": 50,
    # Scrapy's retries, but spaced out; see crawler/backoff.py.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.backoff.BackoffRetryMiddleware": 550,
    # Recrawls ask "changed since?"; a 304 becomes the archived copy (after it is archived).
    "crawler.conditional.ConditionalGetMiddleware": 580,
    # After decompression (590) and redirects (600): archives the body the parsers will read.
    "crawler.archiving.ArchiveMiddleware": 585,
    # Before redirects are followed (600): the 3xx responses themselves are archived too.
    "crawler.archiving.RedirectArchiveMiddleware": 650,
    # Then a redirect to another scheme (file:, ftp:, javascript:) is refused and logged.
    "crawler.egress.RedirectSchemeMiddleware": 640,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
