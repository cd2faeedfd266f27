"""`cctv site OUT/`: the warehouse as a static site of every institution, for people who
read it in a browser, print it or put it on a web server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import outside_the_store, paths_of, require_warehouse, writing
from pipelines.console import DataDir, Quiet, info, progress_bars, quiet_flag, result_line


def site(
    out_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder for the site: a new or empty folder, or a site `cctv site` wrote "
            "before (replaced whole). Any other folder is refused.",
            show_default=False,
        ),
    ],
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Write the static site: an index of every institution (search, sort, filters), a
    page per institution, national summaries with charts, and the archived sources.

    Every link is relative and nothing is fetched, so the folder opens from file:// and
    from any static host. Prints the path of its index.html."""
    from warehouse.safe_write import TargetError
    from warehouse.site.build import build_site, check_site_target

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    duckdb_path = require_warehouse(paths)
    with writing():
        outside_the_store(paths, out_dir)
        if paths.root.resolve().is_relative_to(out_dir.resolve()):
            raise TargetError(
                f"{out_dir} holds the data directory {paths.root}: replacing it would delete "
                "the data; give another folder; nothing written"
            )
        check_site_target(out_dir)
    with writing(OSError), progress_bars(quiet) as bar:
        task = bar.add_task("쪽 만드는 중", total=None)
        summary = build_site(
            duckdb_path,
            out_dir,
            archive=paths,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    info(
        f"{'바꿔 씀' if summary.replaced else '만듦'}: {summary.out_dir} — 기관 "
        f"{summary.institutions:,}곳, 전국 현황 {summary.national_pages}쪽, 그림 "
        f"{summary.charts}개, 원본 사본 {summary.archived_copies:,}개 ({summary.seconds:.1f}초)",
        quiet,
    )
    if summary.missing_copies:
        info(
            f"원본 사본을 만들지 못한 출처 {len(summary.missing_copies)}건 (쪽에는 URL과 "
            f"SHA-256이 남음): {summary.missing_copies[0]}",
            quiet,
        )
    result_line(str(summary.out_dir / "index.html"))
