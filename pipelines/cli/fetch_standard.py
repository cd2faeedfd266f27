"""`cctv fetch-standard`: the national standard data's bulk file into the archive."""

from __future__ import annotations

from typing import Annotated

import typer

from pipelines.cli.common import paths_of
from pipelines.console import DataDir, Quiet, fail, info, progress_bars, quiet_flag


def fetch_standard_cmd(
    url: Annotated[
        str | None,
        typer.Argument(help="The bulk file's URL (default: $CCTV_STANDARD_URL or the public one)."),
    ] = None,
    data_dir: DataDir = None,
    quiet: Quiet = False,
) -> None:
    """Download the national standard data file into the archive."""
    from pipelines.standard import StandardFetchError, fetch_standard

    quiet = quiet_flag(quiet)
    try:
        with progress_bars(quiet) as bar:
            bar.add_task("downloading the national standard data", total=None)
            capture = fetch_standard(paths_of(data_dir), url)
    except StandardFetchError as exc:
        raise fail(str(exc)) from exc
    info(
        f"{capture.url} → {capture.sha256[:12]} ({capture.size_bytes:,} bytes); "
        "run `cctv build` to load it",
        quiet,
    )
