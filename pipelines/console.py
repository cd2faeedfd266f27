"""The terminal side of `cctv`: where output goes, how errors and progress look, and the
options every command shares. Results go to stdout; progress bars (on a terminal only),
notices and errors to stderr, so `--json` output can be piped."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

console = Console(stderr=True)
out = Console()

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Data directory (default: $CCTV_DATA_DIR or data/ in the project)."
    ),
]
RegistryFile = Annotated[Path, typer.Option("--registry", help="Institution registry CSV.")]
Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="No progress bars or informational lines; errors still print."
    ),
]
AsJson = Annotated[
    bool,
    typer.Option("--json", help="Print one JSON document on stdout, and nothing else there."),
]
OPTIONS = {"quiet": False}


def set_global_options(quiet: Quiet = False) -> None:
    """Options for every command: `cctv --quiet build` is `cctv build --quiet`."""
    OPTIONS["quiet"] = quiet


def quiet_flag(local: bool) -> bool:
    return local or OPTIONS["quiet"]


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def info(message: str, quiet: bool, mark: str = "") -> None:
    """An informational line on stderr, unless --quiet. `mark` is rich markup (a ✓)."""
    if not quiet:
        console.print(f"{mark}{escape(message)}", highlight=False, soft_wrap=True)


def progress_bars(quiet: bool) -> Progress:
    """Progress bars on stderr, shown only on a terminal and never with --quiet."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
        disable=quiet or not console.is_terminal,
    )


def _json_default(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def print_json(document: Any) -> None:
    sys.stdout.write(
        json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    )
