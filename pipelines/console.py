"""The terminal side of `cctv`: where output goes, how errors and progress look, and the
options every command shares. Results go to stdout; progress bars (on a terminal only),
notices and errors to stderr, so `--json` output can be piped.

Much of what is printed comes from elsewhere: file names, URLs, page titles, query
results. Such text can carry ESC sequences that clear the screen, retitle the window or
hide what follows, so every string printed passes :func:`terminal_safe` first.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
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
from rich.text import Text

from domain.text import display_width

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
DISTRIBUTION = "cctv-disclosures"


def _print_version(asked: bool) -> None:
    """`cctv --version`: the installed package's version, read from its metadata."""
    if not asked:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        sys.stdout.write(f"cctv {version(DISTRIBUTION)}\n")
    except PackageNotFoundError:
        raise fail(f"{DISTRIBUTION} is not installed: run `make env`") from None
    raise typer.Exit(0)


def set_global_options(
    quiet: Quiet = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            expose_value=False,
            callback=_print_version,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Options for every command: `cctv --quiet build` is `cctv build --quiet`."""
    OPTIONS["quiet"] = quiet


def quiet_flag(local: bool) -> bool:
    return local or OPTIONS["quiet"]


# What a terminal acts on instead of showing: C0 controls (ESC, CR, BS, …), DEL, the C1
# controls (0x9b is a one-byte CSI to some terminals), and the Unicode controls that
# reorder or split lines (bidi overrides, isolates and marks; line/paragraph separators).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal_safe(value: object) -> str:
    """`value` as text a terminal shows rather than obeys: control characters written as
    escapes (ESC as `\\x1b`, CR as `\\r`), so a message stays one line. Hangul and every
    other printable character are kept."""
    return _CONTROLS.sub(_shown, str(value))


def cell(value: object) -> Text:
    """A table cell from data: terminal-safe, and a Text so rich reads no markup or
    emoji codes in it. None is an empty cell."""
    return Text("" if value is None else terminal_safe(value))


# A terminal table cuts a longer cell with "…"; the whole value is in --format csv or json.
TABLE_CELL_WIDTH = 48
_NUMBERS = (int, float, Decimal)


def _clipped(text: str, width: int) -> tuple[str, int]:
    """`text` cut to `width` display columns (an ellipsis at the end) and its new width."""
    used, kept = 0, []
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + "…", used + 1


def _shown_text(value: object, missing: str) -> str:
    """A cell's text: "–" for NULL, escapes for what a terminal would obey."""
    if value is None:
        return missing
    text = value if isinstance(value, str) else str(value)
    return text if text.isprintable() else terminal_safe(text)


def _table_column(values: Sequence[Any], missing: str) -> tuple[list[str], bool]:
    """One column's cells padded to one width (right-aligned when it holds numbers), and
    whether a cell was cut."""
    texts = [_shown_text(v, missing) for v in values]
    right = any(isinstance(v, _NUMBERS) and not isinstance(v, bool) for v in values[1:])
    if all(t.isascii() for t in texts):  # most columns: widths are lengths
        widths = [len(t) for t in texts]
    else:
        widths = [len(t) if t.isascii() else display_width(t) for t in texts]
    clipped = False
    for i, width in enumerate(widths):
        if width > TABLE_CELL_WIDTH:
            texts[i], widths[i] = _clipped(texts[i], TABLE_CELL_WIDTH)
            clipped = True
    most = max(widths)
    if right:
        cells = [" " * (most - w) + t for t, w in zip(texts, widths, strict=True)]
        cells[0] = texts[0] + " " * (most - widths[0])  # the header stays on the left
    else:
        cells = [t + " " * (most - w) for t, w in zip(texts, widths, strict=True)]
    return ["─" * most, *cells], clipped


def format_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, bool]:
    """Rows as a plain text table (a header, a rule, one line per row) and whether a cell was
    cut. Numbers align right; NULL reads "–"; text is terminal-safe. Plain text, built column
    by column, rather than a rich Table: it costs about what CSV does, so a long answer is
    never slow to show."""
    from warehouse.labels import MISSING  # imported here: it costs every command's start

    rows = list(rows)
    padded, clipped = [], False
    for i, name in enumerate(columns):
        cells, cut = _table_column([name, *(row[i] for row in rows)], MISSING)
        padded.append(cells)
        clipped = clipped or cut
    if not padded:
        return "\n" * (len(rows) + 2), False
    rule, header, *lines = ["  ".join(parts).rstrip() for parts in zip(*padded, strict=True)]
    return "\n".join([header, rule, *lines]) + "\n", clipped


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bool:
    """Rows as a plain text table on stdout; True when a cell was cut to fit."""
    text, clipped = format_table(columns, rows)
    sys.stdout.write(text)
    return clipped


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(
        f"[bold red]error:[/] {escape(terminal_safe(message))}", highlight=False, soft_wrap=True
    )
    return typer.Exit(code)


def info(message: str, quiet: bool, mark: str = "") -> None:
    """An informational line on stderr, unless --quiet. `mark` is rich markup (a ✓)."""
    if not quiet:
        console.print(f"{mark}{escape(terminal_safe(message))}", highlight=False, soft_wrap=True)


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


def print_csv(rows: Iterable[Sequence[Any]]) -> None:
    """Rows as CSV on stdout, one `\\n` per row. A field holding a CR is quoted like one
    holding a newline (the csv module quotes only the line terminator's characters), so a
    reader that splits rows at CR keeps it whole. On a terminal, text is terminal-safe; in
    a pipe it is the data as stored."""
    shown = terminal_safe if sys.stdout.isatty() else None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([shown(v) if shown and isinstance(v, str) else v for v in row])
        sys.stdout.write(buffer.getvalue()[:-2] + "\n")
        buffer.seek(0)
        buffer.truncate()


def result_line(text: str) -> None:
    """One line of a command's result on stdout: escaped on a terminal, as it is in a pipe,
    where a script needs the exact text (a path)."""
    sys.stdout.write(f"{terminal_safe(text) if sys.stdout.isatty() else text}\n")


# json.dumps escapes C0 controls but leaves DEL, C1 and the Unicode line controls raw.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def print_json(document: Any) -> None:
    """One JSON document on stdout; control characters as \\u escapes (the same values)."""
    text = json.dumps(document, ensure_ascii=False, indent=2, default=_json_default)
    sys.stdout.write(_JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")
