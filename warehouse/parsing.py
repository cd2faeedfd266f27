"""Archived captures → contract output, through a cache kept per parser version.

The build, the version history and `cctv diff` all read documents this way, so a capture is
parsed once per parser version whatever asks for it. The payload is read from the archive
even when the cache answers: reading checks its sha256, so a corrupt WARC record shows as
an ArchiveError instead of hiding behind an earlier parse. Parsing runs in the sandbox
(warehouse.sandbox): a reader that crashes or runs away fails its document only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from crawler.registry import Institution
from transforms.contract import PARSER_VERSION, DocumentError, InstitutionHint
from transforms.values import area_code_for
from warehouse.archive import ArchiveError, ArchiveReader, Capture
from warehouse.paths import DataPaths
from warehouse.sandbox import parse_untrusted


@dataclass
class Parsed:
    contract: dict
    content_hash: str | None  # of the normalised page text; None for files


class DocumentParser:
    def __init__(
        self,
        paths: DataPaths,
        registry: list[Institution],
        captures: list[Capture] | None = None,
    ) -> None:
        self.root = paths.warehouse / "parsed"
        self.dir = self.root / PARSER_VERSION
        self.dir.mkdir(parents=True, exist_ok=True)
        self.reader = ArchiveReader(paths, captures)
        self.hints = {
            i.inst_code: InstitutionHint(
                code=i.inst_code, name=i.name, area_code=area_code_for(i.inst_code, i.parent_code)
            )
            for i in registry
        }
        self.parsed = 0
        self.reused = 0

    @staticmethod
    def _key(capture: Capture) -> str:
        # The URL is part of the key: relative links on a page resolve against it.
        url_key = hashlib.sha256(capture.url.encode("utf-8")).hexdigest()[:12]
        return f"{capture.sha256}-{capture.inst_code or 'none'}-{url_key}.json"

    def _read(self, path: Path) -> Parsed | None:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return Parsed(value["contract"], value.get("content_hash"))

    def parse(self, capture: Capture) -> Parsed:
        """The capture's contract output; raises DocumentError/ArchiveError if unreadable."""
        path = self.dir / self._key(capture)
        body = self.reader.payload(capture.sha256)
        if path.exists() and (cached := self._read(path)) is not None:
            self.reused += 1
            return cached
        hint = self.hints.get(capture.inst_code or "", InstitutionHint(code=capture.inst_code))
        contract, text = parse_untrusted(
            body,
            name=capture.filename or capture.url,
            url=capture.url,
            content_type=capture.content_type,
            filename=capture.filename,
            institution=hint,
        )
        content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"contract": contract, "content_hash": content_hash}, ensure_ascii=False),
            encoding="utf-8",
        )
        tmp.replace(path)
        self.parsed += 1
        return Parsed(contract, content_hash)

    def earlier_derivations(self, capture: Capture) -> dict[str, str | None]:
        """content_hash of this capture under other parser versions that parsed it."""
        found = {}
        for version_dir in self.root.iterdir():
            if version_dir == self.dir or not version_dir.is_dir():
                continue
            if (old := self._read(version_dir / self._key(capture))) is not None:
                found[version_dir.name] = old.content_hash
        return found


__all__ = ["ArchiveError", "DocumentError", "DocumentParser", "Parsed"]
