"""`cctv import`: files collected by hand into the archive, indexed like crawled ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipelines.cli.common import all_known, paths_of, read_document, resolve
from pipelines.console import DataDir, Quiet, fail, info, progress_bars, quiet_flag, terminal_safe
from transforms.sniff import check_name


def import_files(
    files: Annotated[list[Path], typer.Argument(help="Files to add to the archive.")],
    institution: Annotated[
        str | None, typer.Option("--institution", "-i", help="inst_code (or unambiguous name).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Where the file was published.")] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Bring hand-collected files into the archive, indexed like crawled ones.

    Standard-data files (any generation of 전국CCTV표준데이터) are recognised by their
    header. A file whose content is not what its name says is read by its content (with
    a notice) when its bytes show what it is, and refused otherwise (text under a
    spreadsheet name, a zip no reader handles)."""
    from pipelines.standard import ImportFailed
    from pipelines.standard import import_files as archive_files

    quiet = quiet_flag(quiet)
    code = resolve([institution], all_known(), "the registry")[0] if institution else None
    notices = []
    for file in files:  # every file checked before any is archived
        body = read_document(file)
        check = check_name(file.name, body)
        if check.misnamed and not check.readable:
            raise fail(f"{check.what()}, which no reader handles; nothing imported", 2)
        if check.misnamed and check.content == "text":  # no magic bytes: the name would win
            raise fail(
                f"{check.what()}, which the build would read as {check.named} by its name: "
                "rename it to .csv; nothing imported",
                2,
            )
        if check.misnamed:
            notices.append(f"notice: {check.what()}; the build reads it as {check.read_as()}")
    try:
        with progress_bars(quiet) as bar:
            task = bar.add_task("archiving", total=len(files))
            captures = archive_files(
                paths_of(data_dir),
                files,
                institution=code,
                url=url,
                progress=lambda file, n, _total: bar.update(
                    task,
                    completed=n - 1,
                    description=f"archiving {escape(terminal_safe(file.name))}",
                ),
            )
    except (ImportFailed, OSError) as exc:
        raise fail(str(exc)) from exc
    for notice in notices:
        info(notice, quiet)
    for file, capture in zip(files, captures, strict=True):
        info(f"{file} → {capture.sha256[:12]} ({capture.role}, {capture.media_type})", quiet)
    info("run `cctv build` to load them into the warehouse", quiet)
