"""Crawl events that have no response to archive, kept with where they happened."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from archive.paths import DataPaths


class CrawlLog:
    """Crawl events that have no response to archive (timeouts, refusals, not-found links).

    JSON lines, one file per crawl, so a failed fetch is kept with where it happened.
    """

    def __init__(self, paths: DataPaths, crawl_id: str) -> None:
        paths.crawl_log_dir.mkdir(parents=True, exist_ok=True)
        self.path = paths.crawl_log_dir / f"{crawl_id}.jsonl"
        self.crawl_id = crawl_id
        self._fh = self.path.open("a", encoding="utf-8")

    def event(self, event: str, **fields: object) -> None:
        row = {
            "at": dt.datetime.now(dt.UTC).isoformat(),
            "crawl_id": self.crawl_id,
            "event": event,
            **fields,
        }
        self._fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def read_crawl_log(paths: DataPaths) -> Iterator[dict]:
    if not paths.crawl_log_dir.exists():
        return
    for file in sorted(paths.crawl_log_dir.glob("*.jsonl")):
        with file.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                line = line.strip()
                if not line:
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    yield {"event": "log_unreadable", "file": file.name, "line": number}
