"""`cctv site OUT/`: the whole static site from one warehouse, written so that a failed or
interrupted build never leaves half a site where a reader looks.

The site is written into a temporary folder beside OUT and renamed into place when every
page is there. OUT may be new, empty, or a site this function made before (it leaves a
marker file, `.cctv-site.json`): any other folder holds someone's files and is refused, as
is a file, a device or a symbolic link. Layout, every link relative so the folder opens
from `file://` and from any static host:

    index.html                    every institution: search, sort, filters (assets/site.js)
    institutions/<기관코드>.html   one page per institution (warehouse.site.institution)
    national/index.html, *.html   national summaries, charts as SVG beside them
    archive/<sha256>.<ext>        the archived sources the pages cite, made inert
    assets/                       the stylesheets and the script
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import duckdb

from archive.paths import DataPaths
from warehouse.safe_write import TargetError, WriteFailed, current_umask, file_kind
from warehouse.site.archived import ARCHIVE_DIR, archived_copy, archived_path
from warehouse.site.data import SiteData, Source, load_site_data
from warehouse.site.format import kst_time
from warehouse.site.index import INSTITUTION_DIR, index_rows, render_index
from warehouse.site.institution import page_name, render_institution
from warehouse.site.national import (
    NATIONAL_DIR,
    Sources,
    national_pages,
    page_href,
    render_national,
    render_overview,
    write_chart,
)

MARKER = ".cctv-site.json"
ASSETS = "assets"
GENERATOR = "cctv site"

Progress = Callable[[int, int], None]  # (pages written, pages in all)


@dataclass(frozen=True)
class SiteSummary:
    """What a build wrote, for the line the command prints."""

    out_dir: Path
    institutions: int
    national_pages: int
    charts: int
    archived_copies: int
    replaced: bool
    seconds: float
    missing_copies: list[str] = field(default_factory=list)  # "URL: why", one per source

    @property
    def pages(self) -> int:
        return 1 + self.institutions + self.national_pages


def check_site_target(out_dir: Path) -> bool:
    """Whether OUT may take the site: True when it replaces an earlier site (or an empty
    folder), False when OUT is new; TargetError saying why not otherwise."""
    out_dir = Path(out_dir)
    try:
        found = os.lstat(out_dir)
    except FileNotFoundError:
        parent = out_dir.absolute().parent
        if not parent.is_dir():
            raise TargetError(
                f"cannot write the site to {out_dir}: the folder {parent} does not exist "
                "(create it first); nothing written"
            ) from None
        return False
    except NotADirectoryError:
        raise TargetError(
            f"cannot write the site to {out_dir}: the folder part runs through a file, not a "
            "folder; nothing written"
        ) from None
    except OSError as exc:
        raise WriteFailed(f"cannot write the site to {out_dir}: {exc.strerror}") from exc
    if stat.S_ISLNK(found.st_mode):
        raise TargetError(
            f"{out_dir} is a symbolic link: give the folder's own path; nothing written"
        )
    if not stat.S_ISDIR(found.st_mode):
        raise TargetError(
            f"{out_dir} is {file_kind(found.st_mode)}: give a folder for the site; nothing written"
        )
    if (out_dir / MARKER).is_file() or not any(out_dir.iterdir()):
        return True
    raise TargetError(
        f"{out_dir} is a folder with other files in it, not a site `cctv site` made: "
        "give a new or empty folder; nothing written"
    )


def build_site(
    duckdb_path: Path,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    archive: DataPaths | None = None,
) -> SiteSummary:
    """Write the site of the warehouse at `duckdb_path` to `out_dir` (see the module).

    `archive`: the data directory whose WARC files hold the sources the pages cite (by
    default the one the warehouse sits in, `<data>/warehouse/cctv.duckdb`). A source whose
    bytes cannot be read gets no copy; the page still cites its URL and hash, and the
    summary lists it. TargetError for an OUT that cannot take a site, WriteFailed when
    writing failed (OUT is then as it was)."""
    started = time.perf_counter()
    out_dir = Path(out_dir).absolute()
    replaces = check_site_target(out_dir)
    archive = archive or DataPaths(Path(duckdb_path).resolve().parent.parent)
    data = _load(Path(duckdb_path))
    try:
        work = Path(
            tempfile.mkdtemp(prefix=f".{out_dir.name[:32]}-", suffix=".part", dir=out_dir.parent)
        )
    except OSError as exc:
        raise WriteFailed(
            f"cannot write the site to {out_dir}: {exc.strerror}; nothing written"
        ) from exc
    try:
        os.chmod(work, 0o777 & ~current_umask())  # mkdtemp's 0700 would hide it from a server
        summary = _write_site(work, data, archive, progress)
        if check_site_target(out_dir) != replaces:  # something appeared there meanwhile
            raise TargetError(f"{out_dir} changed while the site was being written; unchanged")
        _move_into_place(work, out_dir)
    except OSError as exc:
        unchanged = f"{out_dir} is unchanged" if replaces else "nothing written"
        raise WriteFailed(
            f"cannot write the site to {out_dir}: {exc.strerror or exc}; {unchanged}"
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SiteSummary(
        out_dir=out_dir,
        replaced=replaces,
        seconds=time.perf_counter() - started,
        **summary,
    )


def _load(duckdb_path: Path) -> SiteData:
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        return load_site_data(con)
    finally:
        con.close()


def _write_site(
    root: Path, data: SiteData, archive: DataPaths, progress: Progress | None
) -> dict[str, object]:
    """Every file of the site under `root`; the counts SiteSummary reports."""
    rows = index_rows(data)
    built_at = kst_time(data.generated_at)
    sources = Sources.of(data)
    credit = sources.credit
    _copy_assets(root / ASSETS)

    national_dir = root / NATIONAL_DIR
    national_dir.mkdir()
    charts: list[str] = []
    chart_writer = write_chart(national_dir)

    def write_svg(name: str, fig: object) -> str:
        charts.append(name)
        return chart_writer(name, fig)  # type: ignore[arg-type]

    pages = national_pages(data, rows, write_svg)
    total = 1 + len(pages) + 1 + len(rows)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for page in pages:
        _write_text(
            national_dir / f"{page.slug}.html",
            render_national(page, built_at=built_at, sources=credit),
        )
        step()
    _write_text(
        national_dir / "index.html", render_overview(pages, built_at=built_at, sources=credit)
    )
    step()
    national = [(page_href(p.slug), p.title) for p in pages]
    _write_text(
        root / "index.html",
        render_index(rows, national=national, built_at=built_at, sources=credit),
    )
    step()

    folder = root / INSTITUTION_DIR
    folder.mkdir()
    copies = _ArchivedCopies(root, _Payloads(archive))
    for row in rows:
        copies.write(data.institutions[row.inst_code].sources)
        _write_text(folder / page_name(row.inst_code), render_institution(data, row.inst_code))
        step()
    _write_text(
        root / MARKER,
        json.dumps(
            {
                "generator": GENERATOR,
                "built_at": data.generated_at.isoformat(),
                "institutions": len(rows),
            },
            ensure_ascii=False,
        ),
    )
    return {
        "institutions": len(rows),
        "national_pages": len(pages) + 1,
        "charts": len(charts),
        "archived_copies": copies.written,
        "missing_copies": copies.missing,
    }


class _ArchivedCopies:
    """The archived sources the pages cite, each written once under `archive/`.

    Unlike warehouse.site.archived.write_archived_copies, which replaces files one by one
    in a folder people already use (each through a synced temporary file), these go into
    the site's own fresh folder, renamed into place whole: a copy cut short is never seen,
    and syncing each of hundreds of files would make the build several times slower."""

    def __init__(self, root: Path, payload: Callable[[str], bytes]) -> None:
        self.folder = root / ARCHIVE_DIR
        self.folder.mkdir()
        self.root = root
        self.payload = payload
        self.done: set[str] = set()
        self.written = 0
        self.missing: list[str] = []  # "URL: why", one per source without a copy

    def write(self, sources: Iterable[Source]) -> None:
        for source in sources:
            if source.sha256 in self.done:
                continue
            self.done.add(source.sha256)
            try:
                copy = archived_copy(source, self.payload(source.sha256))
            except Exception as exc:  # a damaged record must not stop the other pages
                why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                self.missing.append(f"{source.url or source.sha256}: {why}")
                continue
            (self.root / archived_path(source)).write_bytes(copy)
            self.written += 1


class _Payloads:
    """Archived bytes by sha256; the capture index is read when a copy is first needed."""

    def __init__(self, paths: DataPaths) -> None:
        self.paths = paths
        self._reader: object | None = None

    def __call__(self, sha256: str) -> bytes:
        from archive.reader import ArchiveReader

        if self._reader is None:
            self._reader = ArchiveReader(self.paths)
        return self._reader.payload(sha256)  # type: ignore[attr-defined]


def _copy_assets(folder: Path) -> None:
    """The stylesheets and the script the pages link to, as shipped with the package."""
    folder.mkdir()
    for item in resources.files("warehouse.site").joinpath("static").iterdir():
        if item.is_file() and not item.name.startswith("."):
            (folder / item.name).write_bytes(item.read_bytes())


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _move_into_place(work: Path, out_dir: Path) -> None:
    """Rename the finished site onto OUT; an earlier site there is moved aside first and
    removed only once the new one is in place (put back if the rename fails)."""
    if not out_dir.exists():
        os.rename(work, out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name[:32]}-", suffix=".old", dir=out_dir.parent))
    os.rmdir(old)  # a fresh name only: the old site is renamed to it
    os.rename(out_dir, old)
    try:
        os.rename(work, out_dir)
    except OSError:
        with suppress(OSError):
            os.rename(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


__all__ = ["MARKER", "SiteSummary", "build_site", "check_site_target"]
