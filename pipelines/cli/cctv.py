"""The `cctv` Typer app: the global options, every command in the order `--help` lists
them, and `main()`, which turns failures of the machine or the data into one line."""

from __future__ import annotations

import sys

import typer

from pipelines.cli import (
    build,
    crawl,
    demo,
    diff,
    export,
    fetch_standard,
    imports,
    parse,
    query,
    reindex,
    release,
    report,
    serve,
    site,
    validate,
)
from pipelines.cli.errors import error_line
from pipelines.console import fail, set_global_options

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Korean public CCTV disclosures: crawl, archive, parse, build, validate.",
)
app.callback()(set_global_options)
app.command()(crawl.crawl)
app.command("import")(imports.import_files)
app.command("fetch-standard")(fetch_standard.fetch_standard_cmd)
app.command()(parse.parse)
app.command("build")(build.build_cmd)
app.command()(reindex.reindex)
app.command()(export.export)
app.command()(diff.diff)
app.command("validate")(validate.validate_cmd)
app.command()(query.query)
app.command()(demo.demo)
app.command()(report.report)
app.command()(site.site)
app.command()(serve.serve)
app.command()(release.release)


def main() -> None:  # pragma: no cover - console entry point
    """`cctv`: failures of the machine or the data end in one line, whatever the command."""
    try:
        app()
    except Exception as exc:
        line = error_line(exc)
        if line is None:
            raise
        sys.exit(fail(line).exit_code)
