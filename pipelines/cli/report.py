"""`cctv report`: the comparison notebook for some institutions, as one offline HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from archive.paths import DataPaths
from pipelines.cli.common import outside_the_store, paths_of, require_warehouse, resolve
from pipelines.console import DataDir, Quiet, fail, info, progress_bars, quiet_flag, result_line


def report(
    institution: Annotated[
        list[str],
        typer.Option(
            "--institution",
            "-i",
            help="inst_code (or unambiguous name) to compare; repeatable.",
        ),
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the report (default: <data-dir>/reports; created if missing, in "
            "an existing folder), or an .html file (a new one, or a regular file to replace).",
        ),
    ] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Compare institutions: the comparison notebook as one self-contained HTML file.

    Figures are embedded and there are no scripts, so it opens offline. Prints its path."""
    from pipelines.notebooks import NotebookError
    from pipelines.report import REPORT_NOTEBOOK, default_name, write_report
    from registry.lookup import warehouse_institutions
    from warehouse.safe_write import TargetError, WriteFailed, check_target

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    require_warehouse(paths)
    known = warehouse_institutions(paths.duckdb)
    codes = resolve(institution, known, f"the warehouse {paths.duckdb}")
    try:
        target = check_target(_report_target(paths, out_dir, default_name(codes)))
    except TargetError as exc:
        raise fail(str(exc), 2) from exc
    except WriteFailed as exc:
        raise fail(str(exc)) from exc
    try:
        with progress_bars(quiet) as bar:
            bar.add_task(f"running notebook {REPORT_NOTEBOOK}", total=None)
            written = write_report(paths, codes, target.path, {k.code: k.name for k in known})
    except TargetError as exc:
        raise fail(str(exc), 2) from exc
    except (NotebookError, WriteFailed, ValueError, OSError) as exc:
        raise fail(str(exc)) from exc
    if target.replaces:
        info(f"replaced {written}", quiet)
    result_line(str(written))


def _report_target(paths: DataPaths, out_dir: Path | None, name: str) -> Path:
    """Where `--out` puts the page: the .html file named, or `name` in the folder named
    (made if missing, but only inside a folder that exists) or in data/reports."""
    from warehouse.safe_write import TargetError, WriteFailed

    if out_dir is not None and out_dir.suffix.lower() in (".html", ".htm"):
        return outside_the_store(paths, out_dir)
    folder = out_dir or paths.root / "reports"
    outside_the_store(paths, folder / name)  # before a folder is made there
    if folder.exists() and not folder.is_dir():
        raise TargetError(f"{folder} is not a folder: give a folder or an .html file name")
    if out_dir is not None and not out_dir.parent.is_dir():
        raise TargetError(
            f"cannot make the folder {out_dir}: {out_dir.parent} does not exist (create it first)"
        )
    try:
        folder.mkdir(parents=out_dir is None, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"cannot make the folder {folder}: {exc.strerror}") from exc
    return folder / name
