"""`cctv export`: the warehouse written out for people outside the project, as the
national standard-data CSV or the regulators' workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import outside_the_store, paths_of, require_warehouse
from pipelines.console import DataDir, Quiet, fail, info, quiet_flag


def export(
    kind: Annotated[str, typer.Argument(help="standard (CSV in the national layout) or excel.")],
    out: Annotated[
        Path,
        typer.Argument(
            help="The file to write: a new file in an existing folder, or a regular file to "
            "replace (never a directory, device, FIFO or symbolic link)."
        ),
    ],
    encoding: Annotated[str, typer.Option(help="For standard: utf-8 or cp949.")] = "utf-8",
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Write the warehouse out: the national standard-data CSV, or a regulators' workbook.

    Text that a spreadsheet would run as a formula (starting with = + - @, TAB or CR)
    is written with a leading apostrophe, so opening the file runs nothing."""
    import duckdb

    from warehouse.exports.standard_csv import (
        ExportEncodingError,
        export_standard,
        standard_codec,
    )
    from warehouse.exports.workbook import export_excel
    from warehouse.safe_write import TargetError, WriteFailed, check_target

    quiet = quiet_flag(quiet)
    if kind not in ("standard", "excel"):
        raise fail(f"export kind must be standard or excel, not {kind!r}", 2)
    paths = paths_of(data_dir)
    try:
        if kind == "standard":
            standard_codec(encoding)
        target = check_target(outside_the_store(paths, out))  # before the warehouse is read
    except (ValueError, TargetError) as exc:
        raise fail(str(exc), 2) from exc
    except WriteFailed as exc:
        raise fail(str(exc)) from exc
    require_warehouse(paths)
    try:
        if kind == "standard":
            rows = export_standard(paths.duckdb, out, encoding=encoding)
            info(f"wrote {rows:,} camera rows to {out} ({encoding})", quiet)
        else:
            export_excel(paths.duckdb, out)
            info(f"wrote {out}", quiet)
    except TargetError as exc:
        raise fail(str(exc), 2) from exc
    except (ExportEncodingError, WriteFailed, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc
    except duckdb.Error as exc:
        raise fail(f"cannot read the warehouse {paths.duckdb}: {str(exc).splitlines()[0]}") from exc
    if target.replaces:
        info(f"replaced {out}", quiet)
