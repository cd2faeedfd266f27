"""`cctv report`: the page of each chosen institution, written where it opens from file://.

Each page goes to `<folder>/<기관코드>.html` (or the .html file named, for one institution),
with what it links to beside it: `assets/site.css` and the archived copies of its sources
under `archive/`. The pages are the site's institution pages (warehouse.site), without the
link to a site index that a report does not have. Every file is written through
warehouse.safe_write: a page replaces only a regular file, never a link or a device.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from archive.paths import DataPaths
from warehouse.safe_write import WriteFailed, replacing

if TYPE_CHECKING:
    from archive.reader import ArchiveReader
    from warehouse.site.data import SiteData


@dataclass
class Report:
    """What a report run wrote: the pages, and the sources whose copy could not be."""

    pages: list[Path] = field(default_factory=list)
    missing_copies: list[str] = field(default_factory=list)


def default_name(code: str) -> str:
    """`<기관코드>.html`."""
    from warehouse.site.institution import page_name

    return page_name(code)


def write_report(paths: DataPaths, codes: Sequence[str], targets: Sequence[Path]) -> Report:
    """Write the page of each code to the target beside it (same order), with the stylesheet
    and the archived copies of its sources in the target's folder."""
    from warehouse.query import read_only_connection
    from warehouse.site.data import load_site_data

    con = read_only_connection(paths)
    try:
        data = load_site_data(con)
    finally:
        con.close()
    missing = [code for code in codes if code not in data.institutions]
    if missing:
        raise ValueError(f"the warehouse has no page for {', '.join(missing)}")
    report = Report()
    archive = _Payloads(paths)
    for code, target in zip(codes, targets, strict=True):
        target = Path(target).absolute()  # not resolve(): a link must be refused, not followed
        report.missing_copies += _write_beside(data, code, target, archive)
        report.pages.append(target)
    return report


class _Payloads:
    """Archived bytes by sha256, the capture index read only when a copy is first needed."""

    def __init__(self, paths: DataPaths) -> None:
        self.paths = paths
        self._reader: ArchiveReader | None = None

    def __call__(self, sha256: str) -> bytes:
        if self._reader is None:
            from archive.reader import ArchiveReader

            self._reader = ArchiveReader(self.paths)
        return self._reader.payload(sha256)


def _write_beside(data: SiteData, code: str, target: Path, payload: _Payloads) -> list[str]:
    """The page at `target`, its stylesheet and source copies in `target`'s folder; the
    sources whose copy could not be written, as one line each."""
    from warehouse.site.archived import write_archived_copies
    from warehouse.site.institution import STYLESHEET, render_institution, stylesheet

    folder = target.parent
    _write_text(folder / STYLESHEET, stylesheet())
    _, failed = write_archived_copies(folder, data.institutions[code].sources, payload)
    page = render_institution(data, code, root=".", index=False)
    _write_text(target, page)
    return [f"{s.url or s.sha256}: {why}" for s, why in failed]


def _write_text(target: Path, text: str) -> None:
    """`text` to `target` through a temporary file, its folder made if missing."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"cannot make the folder {target.parent}: {exc.strerror}") from exc
    with replacing(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


__all__ = ["Report", "default_name", "write_report"]
