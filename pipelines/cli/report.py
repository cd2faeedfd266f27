"""`cctv report`: each chosen institution's page (the site's institution page), written
where it opens from file://, and with --pdf an A4 PDF of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from archive.paths import DataPaths
from pipelines.cli.common import (
    outside_the_store,
    paths_of,
    require_warehouse,
    resolve,
    writing,
)
from pipelines.console import DataDir, Quiet, info, progress_bars, quiet_flag, result_line


def report(
    institution: Annotated[
        list[str],
        typer.Option(
            "--institution",
            "-i",
            help="기관코드 (or a name that names one institution) whose page to write; repeatable.",
        ),
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the pages (default: <data-dir>/reports; created if missing, in "
            "an existing folder), or an .html file for one institution (a new one, or a "
            "regular file to replace). The stylesheet and archived sources go beside them.",
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="Also print each page to an A4 PDF beside it (Chromium)."),
    ] = False,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Write each institution's page: 개요, 필수 기재사항, 보관기간, 설치 현황, 표준데이터
    대조, 변경 이력, 품질 이슈 and 출처, in Korean, with no scripts. Prints the paths."""
    from pipelines.pdf import PdfUnavailable, pdf_browser, print_pdfs
    from pipelines.report import default_name, write_report
    from registry.lookup import warehouse_institutions
    from warehouse.safe_write import check_target

    quiet = quiet_flag(quiet)
    paths = paths_of(data_dir)
    require_warehouse(paths)
    known = warehouse_institutions(paths.duckdb)
    codes = list(dict.fromkeys(resolve(institution, known, f"the warehouse {paths.duckdb}")))
    with writing(PdfUnavailable):
        if pdf:
            pdf_browser()  # before anything is written
        targets = [check_target(t) for t in _report_targets(paths, out_dir, codes, default_name)]
    with writing(PdfUnavailable, ValueError, OSError), progress_bars(quiet) as bar:
        bar.add_task(f"writing {len(codes)} page(s)", total=None)
        written = write_report(paths, codes, [t.path for t in targets])
        pdfs = print_pdfs(written.pages) if pdf else []
    for why in written.missing_copies:
        info(f"warning: no archived copy of {why}", quiet)
    for target in targets:
        if target.replaces:
            info(f"replaced {target.path}", quiet)
    for page in written.pages:
        result_line(str(page))
    for made in pdfs:
        result_line(str(made))


def _report_targets(
    paths: DataPaths, out_dir: Path | None, codes: list[str], name: Callable[[str], str]
) -> list[Path]:
    """Where `--out` puts the pages: the .html file named (one institution only), or
    `<code>.html` in the folder named (made if missing, but only inside a folder that
    exists) or in data/reports."""
    from warehouse.safe_write import TargetError, WriteFailed

    if out_dir is not None and out_dir.suffix.lower() in (".html", ".htm"):
        if len(codes) > 1:
            raise TargetError(
                f"{out_dir} names one file but {len(codes)} institutions were given: "
                "give a folder for several pages"
            )
        return [outside_the_store(paths, out_dir)]
    folder = out_dir or paths.root / "reports"
    pages = [outside_the_store(paths, folder / name(code)) for code in codes]
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
    return pages
