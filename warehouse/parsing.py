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
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import overload

import pyarrow as pa

import transforms
from archive.index import ArchiveError, Capture
from archive.paths import DataPaths
from archive.reader import ArchiveReader
from registry import Institution
from registry.dimension import DIMENSION_CSV, load_institutions
from registry.institutions import InstitutionDirectory, InstitutionHint
from transforms.contract import PARSER_VERSION, DocumentError, parse_document
from transforms.standard import sniff_standard
from warehouse.records import RowProvenance
from warehouse.sandbox import ParseSandbox, SandboxPool, parse_untrusted, parse_workers
from warehouse.schema import TABLES
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


class CameraRecords(Sequence):
    """A document's camera rows kept as the columns they travel and are cached in (one
    list per field, or an Arrow table), read as the contract's records: the build loads
    the columns into Arrow as they are, and whoever iterates gets each row as a dict."""

    def __init__(self, columns: dict[str, Sequence] | None, table: pa.Table | None = None) -> None:
        self._columns = columns
        self.table = table  # the rows as Arrow, when they were cached so
        if columns is not None:
            self._fields = tuple(columns)
            self._count = len(next(iter(columns.values()), ()))
        else:
            assert table is not None
            self._fields = tuple(table.column_names)
            self._count = table.num_rows

    @classmethod
    def of_table(cls, table: pa.Table) -> CameraRecords:
        """Rows cached as Arrow: the build takes the table as it is; the records, for
        whoever reads them, are made from it on first use."""
        return cls(None, table)

    @property
    def columns(self) -> dict[str, Sequence]:
        if self._columns is None:
            assert self.table is not None
            self._columns = {f: self.table.column(f).to_pylist() for f in self._fields}
        return self._columns

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> dict: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...

    def __getitem__(self, index: int | slice) -> dict | list[dict]:
        if isinstance(index, slice):
            return list(self)[index]
        values = [column[index] for column in self.columns.values()]
        return dict(zip(self._fields, values, strict=True))

    def __iter__(self) -> Iterator[dict]:
        fields = self._fields
        for values in zip(*self.columns.values(), strict=True):
            yield dict(zip(fields, values, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CameraRecords):
            other = list(other)
        return isinstance(other, list) and list(self) == other

    __hash__ = None  # type: ignore[assignment]


def camera_columns(result: tuple[dict, str]) -> tuple[dict, str]:
    """A parse result with its camera rows as columns ({"columns": {field: values}}), the
    shape they travel from the worker and are cached in: an inventory's thousands of
    records cost far less to pickle, read back and load into Arrow as a few lists. Rows
    that do not all name the same fields in the same order are left as they are, and rows
    the parse already handed back as columns stay so."""
    contract, text = result
    cameras = contract.get("cameras")
    if not cameras or not isinstance(cameras, list):
        return contract, text
    fields = tuple(cameras[0])
    if any(tuple(row) != fields for row in cameras):
        return contract, text
    values = zip(*map(dict.values, cameras), strict=True)
    columns = dict(zip(fields, map(list, values), strict=True))
    return {**contract, "cameras": {"columns": columns}}, text


# The camera fields a parse gives, as the `cameras` table types them (the table's other
# columns, the document's institution, kind and provenance, are the build's).
_DOCUMENT_COLUMNS = ("inst_code", "source_kind", *RowProvenance.__annotations__)
CAMERA_FIELDS = pa.schema([f for f in TABLES["cameras"] if f.name not in _DOCUMENT_COLUMNS])


def camera_fields_table(columns: dict[str, Sequence]) -> pa.Table:
    """Camera columns typed as CAMERA_FIELDS; pyarrow's error (or TypeError, ValueError,
    OverflowError) when a value does not fit its field's type."""
    return pa.Table.from_arrays(
        [pa.array(columns[f.name], type=f.type) for f in CAMERA_FIELDS], schema=CAMERA_FIELDS
    )


def arrow_cameras(contract: dict) -> dict:
    """The contract with its camera columns as an Arrow IPC stream of CAMERA_FIELDS
    ({"arrow": bytes}), typed in the worker: the build loads them as they are, instead of
    unpickling thousands of values and converting them again. Columns that do not name
    every field, or whose values the types do not take, stay lists (the build then says
    what is wrong with them)."""
    cameras = contract.get("cameras")
    columns = cameras.get("columns") if isinstance(cameras, dict) else None
    if not isinstance(columns, dict) or not set(columns) >= set(CAMERA_FIELDS.names):
        return contract
    if tuple(columns) != tuple(CAMERA_FIELDS.names):
        return contract  # records read back must name the fields in the parse's order
    try:
        table = camera_fields_table(columns)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return contract
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, CAMERA_FIELDS) as stream:
        stream.write_table(table)
    return {**contract, "cameras": {"arrow": sink.getvalue().to_pybytes()}}


def cache_entry(result: tuple[dict, str]) -> bytes:
    """A parse result as its cache file holds it (camera rows as Arrow, `arrow_cameras`,
    the page text's hash), made in the worker: the build writes the bytes as they arrive
    and reads them back once, instead of receiving objects and pickling them again."""
    contract, text = camera_columns(result)
    contract = arrow_cameras(contract)
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None
    return pickle.dumps(
        {"contract": contract, "content_hash": content_hash}, protocol=pickle.HIGHEST_PROTOCOL
    )


@dataclass
class Parsed:
    contract: dict
    content_hash: str | None  # of the normalised page text; None for files

    def __post_init__(self) -> None:
        cameras = self.contract.get("cameras")
        if isinstance(cameras, dict) and isinstance(cameras.get("columns"), dict):
            self.contract = {**self.contract, "cameras": CameraRecords(cameras["columns"])}
        elif isinstance(cameras, dict) and isinstance(cameras.get("arrow"), bytes):
            table = pa.ipc.open_stream(cameras["arrow"]).read_all()
            self.contract = {**self.contract, "cameras": CameraRecords.of_table(table)}


# What reading one capture came to: its parse, or why it has none.
Outcome = Parsed | DocumentError | ArchiveError
# A parse begun: already settled, or the cache key it goes under and its future.
Started = Outcome | tuple[str, Future]


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
        self.verified: set[str] = set()  # payloads read and checked in this run
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
        result = self._finish(self._start(capture, None))
        if isinstance(result, Exception):
            raise result
        return result

    def parse_all(self, captures: Iterable[Capture]) -> Iterator[tuple[Capture, Outcome]]:
        """Each capture with its parse (or the DocumentError/ArchiveError that stopped it),
        in the order given. Several documents are parsed at once (`parse_workers`), each
        in its own sandboxed worker, but the results come back in order: what is built
        from them does not depend on which worker finished first."""
        workers = parse_workers()
        if workers < 2:
            for capture in captures:
                yield capture, self._finish(self._start(capture, None))
            return
        window: deque[tuple[Capture, Started]] = deque()
        with SandboxPool(workers) as pool:
            for capture in captures:
                window.append((capture, self._start(capture, pool)))
                if len(window) > 2 * workers:  # enough queued to keep every worker busy
                    ready, started = window.popleft()
                    yield ready, self._finish(started)
            while window:
                ready, started = window.popleft()
                yield ready, self._finish(started)

    def _start(self, capture: Capture, pool: SandboxPool | None) -> Started:
        """The cached parse, the error met reading the capture, or the parse under way
        (in `pool`, or done at once in the shared sandbox)."""
        key = self._key(capture)
        path = self.dir / key
        body = None
        # The payload is read (and its digest checked) even when the cache answers, once
        # per run: the history asks again for the policies the build has just read.
        if capture.sha256 not in self.verified:
            try:
                body = self.reader.payload(capture.sha256)
            except ArchiveError as exc:
                return exc
            self.verified.add(capture.sha256)
        trusted = not self.reparse or key in self.fresh
        if trusted and path.exists() and (cached := self._read(path)) is not None:
            self.reused += 1
            return cached
        if body is None:
            try:
                body = self.reader.payload(capture.sha256)
            except ArchiveError as exc:
                return exc
        hint = self.hints.get(capture.inst_code or "") or replace(
            self.unhinted, code=capture.inst_code
        )
        request = {
            "name": capture.filename or capture.url,
            "url": capture.url,
            "content_type": capture.content_type,
            "filename": capture.filename,
            "institution": hint,
            # An inventory's rows come back as the columns they are cached in, never
            # built as records on the way; a page's few rows are turned into columns here.
            "camera_columns": True,
            "form": cache_entry,
        }
        if pool is not None:
            return key, pool.submit(body, **request)
        done: Future = Future()
        try:
            done.set_result(parse_untrusted(body, **request))
        except DocumentError as exc:
            done.set_exception(exc)
        return key, done

    def _finish(self, started: Started) -> Outcome:
        """The parse `_start` began, written to the cache once it is done."""
        if not isinstance(started, tuple):
            return started
        key, future = started
        try:
            entry = future.result()
        except DocumentError as exc:
            return exc
        path = self.dir / key
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(entry)
        tmp.replace(path)
        value = _load_plain(entry)
        self.fresh.add(key)
        self.parsed += 1
        return Parsed(value["contract"], value["content_hash"])

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
