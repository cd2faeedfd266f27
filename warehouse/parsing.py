"""Archived captures → contract output, through a cache kept per parser version.

The build, the version history and `cctv diff` all read documents this way, so a capture is
parsed once per parser whatever asks for it. A cached parse is keyed by the parser itself:
PARSER_VERSION and a digest of every transforms/ source and mapping table
(`parser_fingerprint`), so a fix to the code or a map can never be hidden by a stale parse,
even when nobody bumped the version. The payload is read from the archive
even when the cache answers: reading checks its sha256, so a corrupt WARC record shows as
an ArchiveError instead of hiding behind an earlier parse. Parsing runs in the sandbox
(warehouse.sandbox): a reader that crashes or runs away fails its document only.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import io
import json
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import transforms
from archive.index import ArchiveError, Capture
from archive.paths import DataPaths
from archive.reader import ArchiveReader
from registry import Institution
from registry.dimension import DIMENSION_CSV, load_institutions
from registry.institutions import InstitutionDirectory, InstitutionHint
from transforms.contract import PARSER_VERSION, DocumentError, parse_document
from transforms.standard import sniff_standard
from warehouse.sandbox import ParseSandbox, parse_untrusted
from warehouse.standard.contract import standard_contract

TRANSFORMS_DIR = Path(transforms.__file__).resolve().parent


def parser_sources(root: Path = TRANSFORMS_DIR) -> list[Path]:
    """The files whose bytes decide what a parse returns: the parser's code and its maps."""
    return sorted([*root.rglob("*.py"), *(root / "maps").glob("*.csv")])


def parser_digest(files: list[Path], root: Path = TRANSFORMS_DIR) -> str:
    """sha256 over PARSER_VERSION and each file's name and bytes, in a fixed order."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for file in sorted(files):
        name = file.relative_to(root) if file.is_relative_to(root) else file.name
        digest.update(f"\0{name}\0".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


@functools.cache
def parser_fingerprint() -> str:
    """The parser as it is on disk, read once per process (the code cannot change under a
    running build)."""
    return parser_digest(parser_sources())


class _PlainUnpickler(pickle.Unpickler):
    """Reads back only what a contract holds (dicts, lists, text, numbers): a cache file
    that names any class or function is refused, never run."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"a cached parse may not name {module}.{name}")


def _load_plain(data: bytes) -> object:
    return _PlainUnpickler(io.BytesIO(data)).load()


# A cached parse: pickle of plain containers, several times quicker to write and read back
# than JSON for an inventory's thousands of rows. Caches of the JSON days are parsed again.
CACHE_SUFFIX = ".pickle"
_CACHE_SUFFIXES = (CACHE_SUFFIX, ".json")


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
        *,
        reparse: bool = False,
    ) -> None:
        self.root = paths.warehouse / "parsed"
        self.dir = self.root / PARSER_VERSION
        self.dir.mkdir(parents=True, exist_ok=True)
        self.reader = ArchiveReader(paths, captures)
        # Pages name themselves: the parse reads them against every institution.
        directory = InstitutionDirectory.of(load_institutions(), registry)
        self.hints = {i.inst_code: i.hint(directory) for i in registry}
        self.unhinted = InstitutionHint(directory=directory)
        # What the parse is given besides the bytes: the parser, and the institutions it
        # may name a page by (the registry and the dimension of local governments).
        known = sorted(
            repr((i.inst_code, i.name, i.short_name, i.homepage, i.valid_from)) for i in registry
        )
        self.parser_key = hashlib.sha256(
            f"{parser_fingerprint()}\0{known}\0".encode() + DIMENSION_CSV.read_bytes()
        ).hexdigest()[:16]
        # --reparse: every document is parsed again once, whatever the cache holds.
        self.reparse = reparse
        self.fresh: set[str] = set()  # keys parsed by this parser in this run
        self.parsed = 0
        self.reused = 0

    @staticmethod
    def _stem(capture: Capture) -> str:
        # The URL is part of the key: relative links on a page resolve against it.
        url_key = hashlib.sha256(capture.url.encode("utf-8")).hexdigest()[:12]
        return f"{capture.sha256}-{capture.inst_code or 'none'}-{url_key}"

    def _key(self, capture: Capture) -> str:
        # The parser and the institutions it knows, and the institution the parse is told
        # about (inst_code, in the stem).
        return f"{self._stem(capture)}-{self.parser_key}{CACHE_SUFFIX}"

    def _read(self, path: Path) -> Parsed | None:
        """The cached parse at `path`; None when it is missing, damaged or not one."""
        try:
            data = path.read_bytes()
            # Earlier parser versions' caches (read for their content_hash) may be JSON.
            value = json.loads(data) if path.suffix == ".json" else _load_plain(data)
            return Parsed(value["contract"], value.get("content_hash"))
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError):
            return None
        except (AttributeError, IndexError):  # bytes that are no pickle at all
            return None

    def parse(self, capture: Capture) -> Parsed:
        """The capture's contract output; raises DocumentError/ArchiveError if unreadable."""
        key = self._key(capture)
        path = self.dir / key
        body = self.reader.payload(capture.sha256)
        trusted = not self.reparse or key in self.fresh
        if trusted and path.exists() and (cached := self._read(path)) is not None:
            self.reused += 1
            return cached
        hint = self.hints.get(capture.inst_code or "") or replace(
            self.unhinted, code=capture.inst_code
        )
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
        tmp.write_bytes(
            pickle.dumps(
                {"contract": contract, "content_hash": content_hash},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        )
        tmp.replace(path)
        self.fresh.add(key)
        self.parsed += 1
        return Parsed(contract, content_hash)

    def earlier_derivations(self, capture: Capture) -> dict[str, str | None]:
        """content_hash of this capture under other parser versions that parsed it (the
        latest parse of each version, whatever its code digest)."""
        found = {}
        stem = self._stem(capture)
        for version_dir in self.root.iterdir():
            if version_dir == self.dir or not version_dir.is_dir():
                continue
            cached = [f for f in version_dir.glob(f"{stem}*") if f.suffix in _CACHE_SUFFIXES]
            files = sorted(cached, key=lambda f: f.stat().st_mtime)
            for file in reversed(files):
                if (old := self._read(file)) is not None:
                    found[version_dir.name] = old.content_hash
                    break
        return found


def read_any(
    body: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    filename: str | None = None,
    institution: InstitutionHint | None = None,
) -> dict:
    """The cctv-parse/1 object for ONE document of any kind, read as the build reads it:
    standard data by the loader of `standard_points`, everything else (policy pages,
    inventories, aggregates) by `parse_document`. In-process: `parse_file` runs it in the
    sandbox, since telling standard data from the rest already reads a workbook."""
    institution = institution or InstitutionHint()
    if sniff_standard(body, filename or path) is not None:
        return standard_contract(
            body,
            path=path,
            url=url,
            filename=filename,
            institutions=load_institutions(),
            inst_code=institution.code,
            inst_name=institution.name,
        )
    return parse_document(
        body,
        path=path,
        url=url,
        content_type=content_type,
        filename=filename,
        institution=institution,
    )


_sandbox: ParseSandbox | None = None
# Zip (xlsx, hwpx) and OLE (xls, hwp) containers: telling their kind reads them.
_CONTAINERS = (b"PK", b"\xd0\xcf\x11\xe0")


def _plain_text(body: bytes) -> bool:
    """Neither a container nor JSON (whose kind is told by reading all of it): a file
    whose header line alone says whether it is standard data."""
    return not body.startswith(_CONTAINERS) and body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (
        b"[",
        b"{",
    )


def parse_file(
    body: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    filename: str | None = None,
    institution: InstitutionHint | None = None,
) -> dict:
    """`read_any` as `cctv parse` runs it. A workbook, a page or an inventory is read in a
    sandboxed worker (warehouse.sandbox), so a hostile file stops only itself. Standard
    data in text (CSV, the API's JSON) is loaded here, as the build loads it: its header
    alone tells the kind, Arrow reads the rows, and a national file's 370,000 rows as
    Python objects would not fit the worker's memory. Raises DocumentError (ReaderStopped
    when the reader was stopped or crashed) when the document cannot be read at all."""
    if _plain_text(body) and sniff_standard(body, filename or path) is not None:
        return read_any(
            body,
            path=path,
            url=url,
            content_type=content_type,
            filename=filename,
            institution=institution,
        )
    global _sandbox
    if _sandbox is None:
        _sandbox = ParseSandbox(parse=read_any)
        atexit.register(_sandbox.close)
    return _sandbox.parse(
        body,
        name=path or filename or url,
        path=path,
        url=url,
        content_type=content_type,
        filename=filename,
        institution=institution,
    )


__all__ = [
    "ArchiveError",
    "DocumentError",
    "DocumentParser",
    "Parsed",
    "parse_file",
    "parser_fingerprint",
    "read_any",
]
