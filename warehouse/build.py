"""archive → transforms → Parquet → DuckDB.

The build reads only the archive (never the web), parses each captured document with the
same `parse_document` that `cctv parse` uses, and swaps the new warehouse in atomically:
a failed build leaves the previous one readable. Parsed documents are cached per parser
version, so a rebuild skips captures it has already parsed.

A build never makes the warehouse smaller than the archive: it refuses (BuildRefused) to
run on a capture index that lags its WARC files, lists fewer captures than the last build
read, or cannot be read, and points to `cctv reindex`. One build runs at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from archive.crawl_log import read_crawl_log
from archive.index import ArchiveError, Capture, read_index
from archive.paths import DataPaths
from archive.reindex import unindexed_records
from registry import Institution
from registry.dimension import DIMENSION_CSV, load_institutions
from transforms.contract import PARSER_VERSION, DocumentError
from transforms.issues import Issue, IssueRow, Provenance
from warehouse.crawl_report import crawl_report_rows
from warehouse.history import policy_versions
from warehouse.labels import value_label
from warehouse.parsing import (
    CAMERA_FIELDS,
    CameraRecords,
    DocumentParser,
    Parsed,
    camera_fields_table,
    parser_fingerprint,
)
from warehouse.policy_pages import judged
from warehouse.records import (
    AggregateRow,
    CameraRow,
    ContactRow,
    ContractorRow,
    DocumentRows,
    InstitutionRow,
    PolicyRow,
    QualityIssueRow,
    RowProvenance,
)
from warehouse.sandbox import UNREADABLE
from warehouse.schema import CAPTURES, TABLES
from warehouse.standard import load_captures

SQL_DIR = Path(__file__).with_name("sql")


def view_files() -> list[Path]:
    """The warehouse's views: views.sql first, then the topic files it does not depend on."""
    return sorted(SQL_DIR.glob("*.sql"), key=lambda p: (p.name != "views.sql", p.name))


# Crawl-log events that are findings about an institution's disclosure.
_CRAWL_FINDINGS = {
    "fetch_failed": ("error", "fetch_failed"),
    "request_failed": ("warning", "request_failed"),
    "policy_not_found": ("error", "policy_not_found"),
    # What the crawler would not fetch: a non-web scheme, a private or loopback address,
    # a redirect off the institution's hosts; and a site that hit its page cap.
    "request_refused": ("warning", "request_refused"),
    "redirect_offsite": ("warning", "redirect_offsite"),
    "page_cap_reached": ("warning", "page_cap_reached"),
    # A page at the policy's link that is not the policy; a site refusing this crawler.
    "not_a_policy": ("warning", "not_a_policy"),
    "policy_needs_js": ("warning", "policy_needs_js"),
    "blocked_user_agent": ("warning", "blocked_user_agent"),
    "browser_unsupported": ("warning", "browser_unsupported"),
    # A render=js page the browser could not render (read as served instead).
    "render_timeout": ("warning", "render_timeout"),
    "render_failed": ("warning", "render_failed"),
    "render_unavailable": ("warning", "render_unavailable"),
}

Progress = Callable[[str, int, int], None]


class BuildRefused(RuntimeError):
    """The build would lose or misread what the archive holds, or another build is
    running; the warehouse on disk is left as it is."""


@dataclass
class BuildReport:
    duckdb_path: Path
    parquet_dir: Path
    rows: dict[str, int]
    parsed: int = 0
    reused: int = 0
    failed: list[str] = field(default_factory=list)
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    repaired: list[str] = field(default_factory=list)  # why a skipped build ran after all


def inputs_fingerprint(paths: DataPaths, registry: list[Institution]) -> str:
    """What a build reads: the capture index and crawl logs (append-only, so name and size
    identify them), the registry, the parser (its version, code and maps) and the schema.
    Equal fingerprints mean the
    warehouse on disk is already what a build would produce."""
    digest = hashlib.sha256()
    for folder in (paths.index_dir, paths.crawl_log_dir):
        if folder.exists():
            for file in sorted(folder.glob("*")):
                if file.suffix in (".parquet", ".jsonl"):
                    digest.update(f"{file.name}:{file.stat().st_size}\n".encode())
    digest.update(
        repr(
            [(i.inst_code, i.name, i.homepage, i.valid_from, i.valid_to) for i in registry]
        ).encode()
    )
    digest.update(DIMENSION_CSV.read_bytes())
    digest.update(PARSER_VERSION.encode())
    digest.update(parser_fingerprint().encode())
    digest.update(repr({name: str(schema) for name, schema in TABLES.items()}).encode())
    for sql in view_files():
        digest.update(sql.read_bytes())
    return digest.hexdigest()


def institution_rows(
    registry: Iterable[Institution], dimension: Iterable = (), crawled: set[str] | None = None
) -> list[InstitutionRow]:
    """The SCD-2 institution dimension (both eras of the 2026-07-01 reorganisation and older
    renamed codes) with the registry's other institutions; `crawled` marks the codes the
    archive holds captures for."""
    crawled = crawled or set()
    rows: list[InstitutionRow] = []
    seen = set()
    for i in [*registry, *dimension]:
        key = (i.inst_code, i.valid_from)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "inst_code": i.inst_code,
                "name": i.name,
                "short_name": i.short_name,
                "level": i.level,
                "parent_code": i.parent_code,
                "homepage": i.homepage,
                "area_code": i.area_code,
                "valid_from": i.valid_from,
                "valid_to": i.valid_to,
                "successor_code": i.successor_code,
                "crawled": i.inst_code in crawled,
            }
        )
    return rows


def current_crawls(captures: list[Capture]) -> dict[str, str]:
    """Per institution, the latest crawl that reached its policy page."""
    latest: dict[str, str] = {}
    for c in captures:
        if c.role == "policy" and c.has_content and c.inst_code:
            latest[c.inst_code] = c.crawl_id  # captures are sorted oldest first
    return latest


def current_documents(captures: list[Capture]) -> list[Capture]:
    """Per institution, the policy pages and attachments of its current crawl. Older
    crawls stay in the archive (and in `captures`) as history."""
    latest = current_crawls(captures)
    chosen, seen = [], set()
    for c in captures:
        if not c.has_content or c.role not in ("policy", "attachment", "import"):
            continue
        if c.role != "import" and latest.get(c.inst_code or "") != c.crawl_id:
            continue
        key = (c.sha256, c.inst_code, c.role)
        if key not in seen:
            seen.add(key)
            chosen.append(c)
    return chosen


def _provenance(capture: Capture) -> RowProvenance:
    return {
        "capture_sha256": capture.sha256,
        "source_url": capture.url,
        "fetched_at": capture.fetched_at,
        "parser_version": PARSER_VERSION,
    }


def found_in(capture: Capture, stage: str) -> Provenance:
    """Where a finding about an archived document was made (its quality_issues columns)."""
    return Provenance(stage, capture.inst_code, capture.sha256, capture.url, PARSER_VERSION)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def camera_table(capture: Capture, parsed: Parsed) -> pa.Table:
    """One document's camera rows as an Arrow table of the `cameras` schema: the contract's
    camera fields are the table's, converted column-wise, and the document's own columns
    (institution, kind, provenance) are filled in once, not copied into every row."""
    cameras = parsed.contract["cameras"]
    schema = TABLES["cameras"]
    shared = {
        "inst_code": capture.inst_code,
        "source_kind": "page" if parsed.contract["policy"] is not None else "attachment",
        **_provenance(capture),
    }
    sent = cameras if isinstance(cameras, CameraRecords) else None
    columns_sent = sent.columns if sent is not None and sent.table is None else None
    if sent is not None and sent.table is not None:
        named = set(sent.table.column_names)
    else:
        named = set(columns_sent) if columns_sent is not None else set().union(*cameras)
    if set(shared) & named:  # rows naming their own columns: as dicts
        inst, rest = shared.pop("inst_code"), shared
        rows: list[CameraRow] = [{"inst_code": inst, **cam, **rest} for cam in cameras]
        return pa.Table.from_pylist(rows, schema=schema)
    if sent is not None and sent.table is not None and sent.table.schema == CAMERA_FIELDS:
        own = sent.table
    elif columns_sent is not None and named >= set(CAMERA_FIELDS.names):
        own = camera_fields_table(columns_sent)
    else:
        own = pa.Table.from_pylist(list(cameras), schema=CAMERA_FIELDS)
    count = len(cameras)
    columns = [
        pa.repeat(pa.scalar(shared[f.name], type=f.type), count)
        if f.name in shared
        else own[f.name]
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _rows_for(capture: Capture, parsed: Parsed, attachment_kinds: dict[str, str]) -> DocumentRows:
    """One parsed document's rows but its cameras (`camera_table`): its policy, contacts,
    contractors and findings, each with the document's provenance."""
    contract = parsed.contract
    prov = _provenance(capture)
    inst = capture.inst_code
    out = DocumentRows(policies=[], cameras=[], contacts=[], contractors=[], quality_issues=[])
    policy = contract["policy"]
    named = contract.get("institution") or {}
    if policy is not None:
        policy_row: PolicyRow = {
            "inst_code": inst,
            "institution_name": named.get("name"),
            "institution_identified_by": named.get("identified_by"),
            "institution_confidence": named.get("confidence"),
            "title": policy["title"],
            "device_scope": policy["device_scope"],
            "items_present": policy["items_present"],
            "item_statements": policy.get("item_statements"),
            "recording_hours": policy["recording_hours"],
            "retention_days_min": policy["retention_days_min"],
            "retention_days_max": policy["retention_days_max"],
            "storage_locations": policy["storage_locations"],
            "enacted_on": _date(policy["enacted_on"]),
            "revised_on": _date(policy["revised_on"]),
            "is_template": policy["is_template"],
            "attachment_count": len(policy["attachments"]),
            "stated_total": policy.get("stated_total"),
            "camera_rows": len(contract["cameras"]),
            "content_hash": parsed.content_hash,
            **prov,
        }
        out["policies"].append(policy_row)
        for contact in policy["contacts"]:
            contact_row: ContactRow = {"inst_code": inst, **contact, **prov}
            out["contacts"].append(contact_row)
        for contractor in policy["contractors"]:
            contractor_row: ContractorRow = {"inst_code": inst, **contractor, **prov}
            out["contractors"].append(contractor_row)
        checked = found_in(capture, "build")
        for attachment in policy["attachments"]:
            if attachment_kinds.get(attachment["url"]) is None:
                out["quality_issues"].append(
                    Issue(
                        "warning",
                        "attachment_not_archived",
                        f"첨부파일('{attachment['text']}')이 수집되지 않음",
                        attachment["url"],
                    ).row(checked)
                )
    parse = found_in(capture, "parse")
    out["quality_issues"].extend(Issue.from_dict(i).row(parse) for i in contract["issues"])
    return out


def _aggregates(
    capture: Capture, parsed: Parsed
) -> tuple[list[AggregateRow], list[QualityIssueRow]]:
    """A hand-imported file that holds no camera rows may be a published aggregate: the
    parse read its count matrices into tidy rows and checked each one's own total row."""
    found = parsed.contract.get("aggregates")
    if not found:
        return [], []
    prov = _provenance(capture)
    rows: list[AggregateRow] = [{**r, **prov} for r in found["rows"]]
    checked = found_in(capture, "build")
    return rows, [Issue.from_dict(issue).row(checked) for issue in found["issues"]]


def _crawl_issues(paths: DataPaths, current_crawl: dict[str, str]) -> list[IssueRow]:
    """Findings of each institution's current crawl; older crawls' are history in the log."""
    issues = []
    for event in read_crawl_log(paths):
        kind = _CRAWL_FINDINGS.get(event.get("event", ""))
        if kind is None:
            continue
        if event.get("role") == "homepage" and kind[0] == "warning":
            kind = ("error", kind[1])  # nothing of the site could be reached after it
        inst = event.get("inst_code")
        if inst in current_crawl and event.get("crawl_id") != current_crawl[inst]:
            continue
        detail = event.get("message") or event.get("error") or ""
        status = event.get("status")
        role = value_label("role", event.get("role")) if event.get("role") else "요청"
        message = (
            f"{role} {event.get('url')}: {'HTTP ' + str(status) + ' ' if status else ''}{detail}"
        ).strip()
        where = Provenance("crawl", inst, event.get("sha256"), event.get("url"))
        issues.append(Issue(kind[0], kind[1], message, event.get("url")).row(where))
    return issues


def _write_parquet(tables: dict[str, pa.Table], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, directory / f"{name}.parquet")


class StreamedTable:
    """A table that grows with the number of documents (camera rows, findings), written to
    its Parquet file as the documents are read, a row group at a time: the build's memory
    stays that of one batch, whatever the number of institutions."""

    BATCH_ROWS = 131_072

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.schema = path, schema
        self._writer = pq.ParquetWriter(path, schema)
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.rows = 0

    def add(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        if self._pending_rows >= self.BATCH_ROWS:
            self._flush()

    def add_rows(self, rows: list) -> None:
        if rows:
            self.add(pa.Table.from_pylist(rows, schema=self.schema))

    def _flush(self) -> None:
        if self._pending:
            self._writer.write_table(pa.concat_tables(self._pending))
        self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        """Write what is pending and finish the file (idempotent)."""
        if self._writer is not None:
            self._flush()
            self._writer.close()
            self._writer = None


def add_table(
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, *, temporary: bool = False
) -> None:
    """Create table `name` on `con` from an Arrow table (types as the schema says)."""
    kind = "TEMP TABLE" if temporary else "TABLE"
    con.register("incoming", table)
    try:
        con.execute(f'CREATE {kind} "{name}" AS SELECT * FROM incoming')
    finally:
        con.unregister("incoming")


def create_warehouse(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, pa.Table],
    parquet: dict[str, Path] | None = None,
) -> None:
    """The warehouse's tables, from Arrow (`tables`) or from Parquet files the build has
    already written (`parquet`, the tables too large to hold), then its views
    (warehouse/sql/*.sql) over them."""
    for name, table in tables.items():
        add_table(con, name, table)
    for name, file in (parquet or {}).items():
        source = str(file).replace("'", "''")
        con.execute(f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{source}')")
    for sql in view_files():
        con.execute(sql.read_text(encoding="utf-8"))


# What DuckDB may hold while it loads the warehouse (it spills beyond that, in the staging
# folder): loading is a scan of Parquet files, which needs little.
BUILD_MEMORY_MB = 256


def _write_duckdb(
    tables: dict[str, pa.Table], path: Path, parquet: dict[str, Path] | None = None
) -> None:
    con = duckdb.connect(str(path))
    try:
        # Table blocks already written can leave memory: without a limit DuckDB keeps every
        # one it wrote, and the build's peak grows with the camera rows.
        con.execute(f"SET memory_limit = '{BUILD_MEMORY_MB}MB'")
        # One thread: each thread decodes row groups of its own, and those buffers, beyond
        # the limit's reach, grew the peak with the camera rows. Loading is a scan of the
        # Parquet files and a write; a second thread barely shortens it.
        con.execute("SET threads = 1")
        create_warehouse(con, tables, parquet)
        con.execute("CHECKPOINT")
    finally:
        con.close()


PARQUET_VERSIONS = "parquet-builds"


def _swap_in_parquet(staging: Path, paths: DataPaths, build_id: str) -> None:
    """Publish a build's Parquet folder in one rename: the folder moves, under its own
    name, beside the earlier ones, and `parquet` (a relative symlink, the pointer) is
    replaced by one to it. A kill at any point leaves `parquet` naming a whole build."""
    versions = paths.warehouse / PARQUET_VERSIONS
    versions.mkdir(exist_ok=True)
    staging.rename(versions / build_id)
    pointer = paths.parquet_dir
    if pointer.is_dir() and not pointer.is_symlink():  # the layout before pointers
        pointer.rename(versions / "00000000T000000000000Z")  # sorts first, goes first
    link = paths.warehouse / f".parquet-{build_id}"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(PARQUET_VERSIONS) / build_id, target_is_directory=True)
    os.replace(link, pointer)
    # Keep the build before this one for readers that opened it a moment ago.
    for old in sorted(versions.iterdir())[:-2]:  # build ids sort by time
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def build_lock(paths: DataPaths) -> Iterator[None]:
    """One build at a time per data directory; a second one is refused at once."""
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    lock_path = paths.warehouse / ".build.lock"
    with lock_path.open("a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise BuildRefused(
                f"another build of {paths.root} is running ({holder}): wait for it to finish"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}, since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC")
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()
            fcntl.flock(lock, fcntl.LOCK_UN)


def verify_warehouse(paths: DataPaths, rows: dict[str, int]) -> list[str]:
    """What differs between the warehouse on disk and the row counts its build recorded:
    a build that skips work must be skipping a whole, readable warehouse."""
    problems = []
    tables = [name for name in rows if name in TABLES]
    try:
        con = duckdb.connect(str(paths.duckdb), read_only=True)
    except duckdb.Error as exc:
        return [f"{paths.duckdb} does not open ({str(exc).splitlines()[0]})"]
    try:
        for name in tables:
            try:
                found = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
            except duckdb.Error:
                problems.append(f"table {name} is missing from {paths.duckdb.name}")
                continue
            if found != rows[name]:
                problems.append(f"table {name} has {found} rows, the build wrote {rows[name]}")
    finally:
        con.close()
    for name in tables:
        file = paths.parquet_dir / f"{name}.parquet"
        try:
            found = pq.ParquetFile(file).metadata.num_rows
        except (OSError, pa.ArrowException):
            problems.append(f"{file} is missing or unreadable")
            continue
        if found != rows[name]:
            problems.append(f"{file.name} has {found} rows, the build wrote {rows[name]}")
    return problems


def _check_archive(paths: DataPaths, captures: list[Capture], recorded: dict) -> None:
    """Refuse a build that would silently leave out what the archive holds."""
    lagging = unindexed_records(paths, captures)
    if lagging:
        raise BuildRefused(
            "WARC files hold records the capture index does not list "
            f"({'; '.join(lagging[:3])}{'; …' if len(lagging) > 3 else ''}): "
            "run `cctv reindex` to rebuild the index from the WARC files"
        )
    before = (recorded.get("rows") or {}).get("captures")
    if before is not None and len(captures) < before:
        raise BuildRefused(
            f"the capture index lists {len(captures)} captures, fewer than the {before} "
            f"the warehouse was built from: index files are missing or damaged; run "
            f"`cctv reindex` (if captures were removed on purpose, delete "
            f"{paths.warehouse / 'build.json'} first)"
        )


def _recorded(manifest: Path) -> dict:
    """The last build's record; an unreadable one is as good as none (the build runs)."""
    try:
        value = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def build(
    paths: DataPaths,
    registry: list[Institution],
    progress: Progress | None = None,
    *,
    force: bool = False,
    reparse: bool = False,
) -> BuildReport:
    """`force` rebuilds even when nothing changed; `reparse` also parses every document
    again instead of reusing the parse cache."""
    with build_lock(paths):
        return _build(paths, registry, progress, force=force or reparse, reparse=reparse)


def _read_documents(
    parser: DocumentParser,
    documents: list[Capture],
    attachment_kinds: dict[str, str],
    streamed: dict[str, StreamedTable],
    report: BuildReport,
    progress: Progress | None,
) -> dict[str, list[dict]]:
    """Parse the current documents: camera rows and findings go to their streamed tables
    as each document is read; the small tables' rows are returned."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES if name not in streamed}
    issues = streamed["quality_issues"]
    for number, (capture, parsed) in enumerate(parser.parse_all(documents), start=1):
        if progress:
            progress(capture.url, number, len(documents))
        if isinstance(parsed, (DocumentError, ArchiveError)):
            report.failed.append(capture.url)
            said = str(parsed)  # the sandbox's own findings already begin with UNREADABLE
            message = said if said.startswith(UNREADABLE) else f"{UNREADABLE}: {said}"
            unreadable = Issue("error", "document_unreadable", message)
            issues.add_rows([unreadable.row(found_in(capture, "parse"))])
            continue
        streamed["cameras"].add(camera_table(capture, parsed))
        found = _rows_for(capture, parsed, attachment_kinds)
        for name in ("policies", "contacts", "contractors"):
            rows[name].extend(found[name])
        issues.add_rows(found["quality_issues"])
        if (
            capture.role == "import"
            and parsed.contract["policy"] is None
            and not parsed.contract["cameras"]
        ):
            aggregate_rows, aggregate_issues = _aggregates(capture, parsed)
            rows["aggregates"].extend(aggregate_rows)
            issues.add_rows(aggregate_issues)
    return rows


def _build(
    paths: DataPaths,
    registry: list[Institution],
    progress: Progress | None,
    *,
    force: bool,
    reparse: bool = False,
) -> BuildReport:
    fingerprint = inputs_fingerprint(paths, registry)
    manifest = paths.warehouse / "build.json"
    recorded = _recorded(manifest)
    repaired: list[str] = []
    if not force and recorded.get("fingerprint") == fingerprint:
        repaired = verify_warehouse(paths, recorded.get("rows", {}))
        if not repaired:
            return BuildReport(
                paths.duckdb, paths.parquet_dir, recorded.get("rows", {}), up_to_date=True
            )
    try:
        captures = read_index(paths)
    except ArchiveError as exc:
        raise BuildRefused(str(exc)) from exc
    _check_archive(paths, captures, recorded)
    parser = DocumentParser(paths, registry, captures, reparse=reparse)
    # Policy captures the spider's verdict does not take are read as such (the captures
    # table keeps the index as it is).
    taken = judged(captures, parser.reader.payload)
    documents = current_documents(taken)
    attachment_kinds = {
        c.url: c.media_type for c in captures if c.role == "attachment" and c.has_content
    }
    report = BuildReport(paths.duckdb, paths.parquet_dir, {}, repaired=repaired)
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    for stale in [*paths.warehouse.glob(".build-*"), *paths.warehouse.glob(".parquet-*")]:
        if stale.is_symlink() or stale.is_file():  # left by a build that was killed
            stale.unlink()
        else:
            shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=paths.warehouse))
    build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    # The tables that grow with the documents go to Parquet as each document is read.
    streamed = {
        name: StreamedTable(staging / "parquet" / f"{name}.parquet", TABLES[name])
        for name in ("cameras", "quality_issues")
    }
    try:
        rows = _read_documents(parser, documents, attachment_kinds, streamed, report, progress)
        issues = streamed["quality_issues"]
        issues.add_rows(_crawl_issues(paths, current_crawls(taken)))
        report.parsed, report.reused = parser.parsed, parser.reused  # the current documents
        rows["policy_versions"] = policy_versions(taken, parser)
        rows["crawl_reports"] = crawl_report_rows(taken, read_crawl_log(paths))
        dimension = load_institutions()
        rows["institutions"] = institution_rows(
            registry, dimension, {c.inst_code for c in captures if c.inst_code}
        )
        tables = {
            name: pa.Table.from_pylist(rows[name], schema=schema)
            for name, schema in TABLES.items()
            if name not in ("captures", "standard_points", *streamed)
        }
        tables["captures"] = pa.Table.from_pylist(
            [{k: getattr(c, k) for k in CAPTURES.names} for c in captures], schema=CAPTURES
        )
        # National standard data: loaded column-wise (370k rows), never row by row.
        standard = load_captures(captures, parser.reader.payload, dimension)
        tables["standard_points"] = standard.table
        issues.add(standard.issue_table.cast(TABLES["quality_issues"]))
        _write_parquet(tables, staging / "parquet")
        for table in streamed.values():
            table.close()
        _write_duckdb(tables, staging / "cctv.duckdb", {n: t.path for n, t in streamed.items()})
        # Counted in the order the tables were always listed: captures and points last.
        counts = {n: t.num_rows for n, t in tables.items()} | {
            n: t.rows for n, t in streamed.items()
        }
        last = ("captures", "standard_points")
        order = [*(n for n in TABLES if n not in last), *last]
        row_counts = {name: counts[name] for name in order}
        os.replace(staging / "cctv.duckdb", paths.duckdb)
        _swap_in_parquet(staging / "parquet", paths, build_id)
    finally:
        for table in streamed.values():
            with contextlib.suppress(Exception):  # already failing: the first error is told
                table.close()
        shutil.rmtree(staging, ignore_errors=True)
    report.rows = row_counts
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {
                "fingerprint": fingerprint,
                "rows": report.rows,
                "built_at": dt.datetime.now(dt.UTC).isoformat(),
                "parser_version": PARSER_VERSION,
            }
        ),
        encoding="utf-8",
    )
    tmp.replace(manifest)
    return report
