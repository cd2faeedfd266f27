"""`cctv release OUT/`: a dated, content-named release of the warehouse for people who cite
or compare data: tables as Parquet and CSV, the DuckDB file, a data package, checksums and
a change log against the previous release."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import paths_of, require_warehouse, writing
from pipelines.console import DataDir, Quiet, info, progress_bars, quiet_flag, result_line


def release(
    out_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of releases: new, empty, or one `cctv release` wrote before. The "
            "release goes into OUT/<date>-<content hash>/.",
            show_default=False,
        ),
    ],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="The release CHANGES.md compares with (default: the latest other one in OUT).",
        ),
    ] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Release the warehouse: every public table as Parquet and CSV (UTF-8 with a BOM, and
    the cameras in the cp949 standard layout), the DuckDB file, datapackage.json,
    SHA256SUMS, CHANGES.md and a README with licences and the citation line.

    Two releases of the same warehouse are byte-identical but for release.json's creation
    time. Prints the release's path."""
    import duckdb

    from warehouse.release.build import check_release_target, make_release
    from warehouse.safe_write import TargetError

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    with writing():
        where, root = out_dir.resolve(), paths.root.resolve()
        if where.is_relative_to(root):  # the archive, the warehouse, what the commands write
            raise TargetError(
                f"{out_dir}는 데이터 폴더 {paths.root} 안에 있습니다: 데이터 폴더 밖의 폴더를 "
                "주십시오. 아무것도 쓰지 않음"
            )
        if root.is_relative_to(where):
            raise TargetError(
                f"{out_dir}는 데이터 폴더 {paths.root}를 담고 있습니다: 다른 폴더를 주십시오. "
                "아무것도 쓰지 않음"
            )
        check_release_target(out_dir)
    duckdb_path = require_warehouse(paths)
    with writing(OSError, duckdb.Error), progress_bars(quiet) as bar:
        bar.add_task("묶음 만드는 중", total=None)
        summary = make_release(duckdb_path, out_dir, previous=previous)
    info(
        f"{'바꿔 씀' if summary.replaced else '만듦'}: {summary.path} — 표 {summary.tables:,}개, "
        f"행 {summary.rows:,}개, {summary.bytes:,}바이트, 이전 묶음 "
        f"{summary.previous or '없음'} ({summary.seconds:.1f}초)",
        quiet,
    )
    if summary.standard_note:
        info(summary.standard_note, quiet)
    result_line(str(summary.path))
