"""`cctv release OUT/`: a dated, content-named, checksummed release of the warehouse.

    OUT/<date>-<12 hex>/            the date of the last capture (KST) and the content hash
        README.md                   what it holds, licences, citation, validation, gaps
        CHANGES.md                  against the previous release in OUT (or the one given)
        datapackage.json            Frictionless Data Package of the CSV tables
        SHA256SUMS                  every file but itself and release.json
        release.json                the creation time: the only thing that differs between
                                    two releases of the same warehouse
        cctv.duckdb                 the warehouse file as it is
        parquet/<table>.parquet     every public table
        csv/<table>.csv             the same, UTF-8 with a BOM
        standard/…csv               camera rows in the national standard layout (cp949)

The release is written into a temporary folder inside OUT and renamed into place when it
is complete. OUT may be new, empty, or a folder of releases (each carries release.json); a
release of the same data (same name) is replaced whole. Anything else is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from domain.constants import KST
from warehouse.exports.shared import InstitutionNames, read_only_warehouse
from warehouse.exports.standard_csv import ExportEncodingError, export_standard
from warehouse.release.changes import CHANGES, changes_markdown
from warehouse.release.checksums import NAME_DIGITS, SUMS, content_hash, file_sha256, sums_text
from warehouse.release.facts import Facts, release_facts
from warehouse.release.package import PACKAGE, data_package
from warehouse.release.readme import DUCKDB_FILE, README, RELEASE_JSON, citation, readme_markdown
from warehouse.release.tables import TableFiles, write_tables
from warehouse.safe_write import TargetError, WriteFailed, current_umask, file_kind

GENERATOR = "cctv release"
STANDARD_DIR = "standard"


@dataclass(frozen=True)
class ReleaseSummary:
    """What a release wrote, for the line the command prints."""

    path: Path
    name: str
    tables: int
    rows: int
    bytes: int
    previous: str | None
    replaced: bool
    seconds: float
    standard_note: str | None


def is_release(folder: Path) -> bool:
    """A folder `cctv release` wrote: it carries release.json naming this generator."""
    try:
        meta = json.loads((folder / RELEASE_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("generator") == GENERATOR


def check_release_target(out_dir: Path) -> list[Path]:
    """The releases OUT already holds (none when OUT is new or empty); TargetError, in one
    Korean line, when OUT is not a folder of releases."""
    out_dir = Path(out_dir)
    try:
        found = os.lstat(out_dir)
    except FileNotFoundError:
        parent = out_dir.absolute().parent
        if not parent.is_dir():
            raise TargetError(
                f"{out_dir}: 상위 폴더 {parent}가 없습니다 (먼저 만드십시오). 아무것도 쓰지 않음"
            ) from None
        return []
    except NotADirectoryError:
        raise TargetError(
            f"{out_dir}: 경로 중간이 폴더가 아닌 파일입니다. 아무것도 쓰지 않음"
        ) from None
    except OSError as exc:
        raise WriteFailed(f"{out_dir}에 쓸 수 없습니다: {exc.strerror}") from exc
    if stat.S_ISLNK(found.st_mode):
        raise TargetError(
            f"{out_dir}는 심볼릭 링크입니다: 폴더 자체의 경로를 주십시오. 아무것도 쓰지 않음"
        )
    if not stat.S_ISDIR(found.st_mode):
        raise TargetError(
            f"{out_dir}는 폴더가 아닙니다({file_kind(found.st_mode)}): 묶음을 둘 폴더를 "
            "주십시오. 아무것도 쓰지 않음"
        )
    releases, other = [], []
    for entry in sorted(out_dir.iterdir()):
        if entry.name.startswith(".release-") and entry.name.endswith((".part", ".old")):
            continue  # a release cut short or set aside; never read as one
        ours = entry.is_dir() and not entry.is_symlink() and is_release(entry)
        (releases if ours else other).append(entry)
    if other:
        raise TargetError(
            f"{out_dir}에 묶음이 아닌 것({other[0].name})이 있습니다: 새 폴더, 빈 폴더, 또는 "
            "cctv release가 만든 묶음 폴더를 주십시오. 아무것도 쓰지 않음"
        )
    return releases


def _created(folder: Path) -> str:
    try:
        return str(json.loads((folder / RELEASE_JSON).read_text(encoding="utf-8"))["created"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def latest_release(releases: list[Path], excluding: str) -> Path | None:
    """The most recent release other than `excluding` (by creation time, then name)."""
    others = [r for r in releases if r.name != excluding]
    return max(others, key=lambda r: (_created(r), r.name), default=None)


def _standard_layout(db_path: Path, work: Path) -> tuple[str, str | None]:
    """The camera rows in the standard layout: cp949 as LOCALDATA ships it, or UTF-8 when a
    value has no cp949 form (said in the README, with the row the export named)."""
    (work / STANDARD_DIR).mkdir()
    cp949 = f"{STANDARD_DIR}/cameras_standard_cp949.csv"
    try:
        export_standard(db_path, work / cp949, encoding="cp949")
        return cp949, None
    except ExportEncodingError as exc:
        utf8 = f"{STANDARD_DIR}/cameras_standard_utf8.csv"
        export_standard(db_path, work / utf8, encoding="utf-8")
        where = f"{exc.row:,}번째 행, 기관 {exc.inst_code or '–'}, {exc.row_ref or '–'}"
        return utf8, (
            f"표준 양식의 {exc.column}에 cp949로 쓸 수 없는 글자가 있어({where}) UTF-8로 썼습니다"
        )


def _write_json(path: Path, value: object) -> None:
    path.write_text(
        json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )


def _release_name(facts: Facts, data_hashes: dict[str, str]) -> tuple[str, str]:
    digest = content_hash(data_hashes)
    day = facts.last_capture.isoformat() if facts.last_capture else "undated"
    return f"{day}-{digest[:NAME_DIGITS]}", digest


def _fill(
    work: Path, db_path: Path, releases: list[Path], previous: Path | None
) -> tuple[str, list[TableFiles], Path | None, str | None]:
    """Every file of the release under `work`; its name, tables, previous release, note.

    The warehouse file is copied first and everything is read from the copy, so the
    tables, the standard layout and the DuckDB file are one snapshot even if a build
    replaces the warehouse meanwhile. The standard layout is written row by row in Python
    while DuckDB, which lets go of the interpreter as it runs, writes the tables on its one
    thread: the two overlap."""
    snapshot = work / DUCKDB_FILE
    shutil.copyfile(db_path, snapshot)
    with ThreadPoolExecutor(max_workers=1) as pool:
        standard = pool.submit(_standard_layout, snapshot, work)
        with read_only_warehouse(snapshot) as (con, present):
            tables = write_tables(con, work)
            facts = release_facts(con, present)
            names = InstitutionNames.load(con)
            named = {code: names.on(code, facts.last_capture) for code in names.eras}
        standard_file, note = standard.result()
    data_files = [p for t in tables for p in (t.parquet, t.csv)] + [standard_file]
    data_hashes = {p: file_sha256(work / p) for p in data_files}
    name, digest = _release_name(facts, data_hashes)
    if previous is None:
        previous = latest_release(releases, excluding=name)
    (work / CHANGES).write_text(changes_markdown(name, work, previous, named), encoding="utf-8")
    sizes = {p: (work / p).stat().st_size for p in data_files}
    line = citation(name)
    _write_json(
        work / PACKAGE,
        data_package(
            release=name,
            tables=tables,
            hashes=data_hashes,
            sizes=sizes,
            citation=line,
            captured=(
                facts.first_capture.isoformat() if facts.first_capture else None,
                facts.last_capture.isoformat() if facts.last_capture else None,
            ),
        ),
    )
    (work / README).write_text(
        readme_markdown(
            release=name,
            tables=tables,
            sizes=sizes,
            facts=facts,
            standard_file=standard_file,
            standard_note=note,
            previous=previous.name if previous else None,
        ),
        encoding="utf-8",
    )
    everything = dict(data_hashes)  # the data files are hashed once
    for path in sorted(work.rglob("*")):
        relative = path.relative_to(work).as_posix()
        if path.is_file() and relative not in everything:
            everything[relative] = file_sha256(path)
    sums = sums_text(everything)
    (work / SUMS).write_text(sums, encoding="utf-8")
    _write_json(
        work / RELEASE_JSON,
        {
            "generator": GENERATOR,
            "release": name,
            "created": dt.datetime.now(KST).isoformat(timespec="seconds"),
            "content_sha256": digest,
            "previous": previous.name if previous else None,
            "validated_at": facts.validation.run_at,
            "citation": line,
            "sha256sums": file_sha256(work / SUMS),
        },
    )
    return name, tables, previous, note


def make_release(db_path: Path, out_dir: Path, *, previous: Path | None = None) -> ReleaseSummary:
    """Release the warehouse at `db_path` into `out_dir` (see the module). `previous`: the
    release CHANGES.md compares with (default: the latest other release in OUT).
    TargetError for an OUT (or previous) that is refused, WriteFailed when writing failed
    (OUT is then as it was)."""
    started = time.perf_counter()
    out_dir = Path(out_dir).absolute()
    releases = check_release_target(out_dir)
    if previous is not None and not is_release(Path(previous)):
        raise TargetError(f"{previous}는 cctv release가 만든 묶음이 아닙니다. 아무것도 쓰지 않음")
    created_out = not out_dir.exists()
    try:
        if created_out:
            out_dir.mkdir(mode=0o777)
        work = Path(tempfile.mkdtemp(prefix=".release-", suffix=".part", dir=out_dir))
    except OSError as exc:
        raise WriteFailed(
            f"{out_dir}에 쓸 수 없습니다: {exc.strerror}. 아무것도 쓰지 않음"
        ) from exc
    replaced = False
    try:
        os.chmod(work, 0o777 & ~current_umask())
        name, tables, previous, note = _fill(work, Path(db_path), releases, previous)
        replaced = _move_into_place(work, out_dir / name)
    except OSError as exc:
        raise WriteFailed(
            f"{out_dir}에 묶음을 쓰지 못했습니다: {exc.strerror or exc}. 이전 묶음은 그대로"
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created_out and not any(out_dir.iterdir()):
            with suppress(OSError):
                out_dir.rmdir()
    target = out_dir / name
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return ReleaseSummary(
        path=target,
        name=name,
        tables=len(tables),
        rows=sum(t.rows for t in tables),
        bytes=size,
        previous=previous.name if previous else None,
        replaced=replaced,
        seconds=time.perf_counter() - started,
        standard_note=note,
    )


def _move_into_place(work: Path, target: Path) -> bool:
    """Rename the finished release onto its name; a release of the same data there is moved
    aside first and removed once the new one is in place. True when one was replaced."""
    if not target.exists():
        os.rename(work, target)
        return False
    old = Path(tempfile.mkdtemp(prefix=".release-", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(work, target)
    except OSError:
        with suppress(OSError):
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return True
