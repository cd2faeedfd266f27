"""Run one crawl in this process: `python -m crawler.run --data-dir D --crawl-id ID`.

Scrapy's reactor cannot be restarted, so every crawl gets a process of its own; the
stage runner starts this module as a subprocess.

The crawl stops promptly and cleanly (downloads in progress cancelled, spider closed, WARC
and capture index finished) on SIGTERM, SIGINT and SIGHUP, and when the process that
started it is gone: crawler/stopping.py.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as crawler_settings
from crawler.egress import local_netlocs
from crawler.spiders.policy import PolicySpider
from crawler.stopping import stop_promptly
from registry import REGISTRY_CSV, legacy_tls_hosts, load_registry

# Scrapy 2.19 marks DOWNLOADER_CLIENTCONTEXTFACTORY deprecated but offers no other hook
# for per-host TLS options; crawler/tls.py needs it to verify every host (see there).
warnings.filterwarnings(
    "ignore", message="The 'DOWNLOADER_CLIENTCONTEXTFACTORY' setting is deprecated"
)


def build_settings(
    data_dir: str,
    crawl_id: str,
    *,
    fast: bool,
    log_file: str | None,
    download_timeout: float | None = None,
    delay: float | None = None,
    registry: str | None = None,
    max_pages: int | None = None,
) -> Settings:
    settings = Settings()
    settings.setmodule(crawler_settings, priority="project")
    rows = load_registry(registry or REGISTRY_CSV)
    settings.set("CCTV_TLS_LEGACY_HOSTS", legacy_tls_hosts(rows))
    settings.set("CCTV_LOCAL_NETLOCS", local_netlocs(rows))
    if max_pages:
        settings.set("CCTV_MAX_PAGES_PER_SITE", max_pages)
    settings.set("CCTV_DATA_DIR", data_dir)
    settings.set("CCTV_CRAWL_ID", crawl_id)
    if fast:  # the bundled sample web on localhost: no reason to wait between requests
        settings.set("DOWNLOAD_DELAY", 0)
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("DOWNLOAD_TIMEOUT", 10)
        settings.set("RETRY_TIMES", 1)
        settings.set("RETRY_BACKOFF_BASE", 0.1)
    if download_timeout:
        settings.set("DOWNLOAD_TIMEOUT", download_timeout)
    if delay is not None:  # a fixed per-site delay, for measuring against its bound
        settings.set("DOWNLOAD_DELAY", delay)
        settings.set("RANDOMIZE_DOWNLOAD_DELAY", False)
        settings.set("AUTOTHROTTLE_ENABLED", False)
    if log_file:
        settings.set("LOG_FILE", log_file)
        settings.set("LOG_FILE_APPEND", False)
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--crawl-id", required=True)
    parser.add_argument("--registry")
    parser.add_argument("--institutions", help="comma-separated inst_codes")
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--log-file")
    parser.add_argument("--download-timeout", type=float)
    parser.add_argument("--delay", type=float, help="fixed per-site delay (seconds)")
    parser.add_argument("--max-pages", type=int, help="requests per institution (default 200)")
    args = parser.parse_args(argv)
    process = CrawlerProcess(
        build_settings(
            args.data_dir,
            args.crawl_id,
            fast=args.fast,
            log_file=args.log_file,
            download_timeout=args.download_timeout,
            delay=args.delay,
            registry=args.registry,
            max_pages=args.max_pages,
        )
    )
    crawler = process.create_crawler(PolicySpider)
    process.crawl(crawler, registry=args.registry, institutions=args.institutions)
    stop_promptly(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    finish = stats.get("finish_reason")
    return 0 if finish == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
