"""`cctv parse`: what the pipeline extracts from one document, printed as the build's own
parse (cctv-parse/1 JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.common import all_known, read_document, resolve
from pipelines.console import fail, info, print_json, quiet_flag
from transforms.sniff import check_name


def parse(
    path: Annotated[Path, typer.Argument(help="A saved policy page or inventory file.")],
    url: Annotated[str | None, typer.Option(help="The URL it was fetched from.")] = None,
    institution: Annotated[
        str | None, typer.Option(help="inst_code (or unambiguous name), when known.")
    ] = None,
) -> None:
    """Print what the pipeline extracts from ONE document, as cctv-parse/1 JSON.

    A file whose content is not what its name says is parsed by its content, with a
    notice on stderr."""
    from registry.hints import document_hint
    from registry.institutions import InstitutionHint
    from transforms.contract import DocumentError
    from transforms.sniff import MEDIA_TYPES
    from warehouse.parsing import parse_file
    from warehouse.sandbox import ReaderStopped

    body = read_document(path)
    # Without --institution the parse names it from the URL's host and the page itself.
    code = resolve([institution], all_known(), "the registry")[0] if institution else None
    hint = document_hint(code)
    check = check_name(path.name, body)
    # Read by content: a declared type is what settles a file without magic bytes.
    content_type = None
    if check.misnamed and check.content:
        content_type = "text/csv" if check.content == "text" else MEDIA_TYPES[check.content]

    def parse_as(hint: InstitutionHint) -> dict:
        # The build's own path for every kind: standard data by the standard_points loader,
        # anything else by the same sandboxed parse, so a hostile file stops here too.
        return parse_file(
            body,
            path=str(path),
            url=url,
            content_type=content_type,
            filename=path.name,
            institution=hint,
        )

    try:
        result = parse_as(hint)
    except ReaderStopped as exc:
        raise fail(str(exc), 2) from exc
    except DocumentError as exc:
        if check.misnamed or check.unsigned:
            raise fail(f"{check.what()}; {exc}", 2) from exc
        raise fail(f"{path}: {exc}", 2) from exc
    if check.misnamed:
        info(f"notice: {check.what()}; parsed as {check.read_as()}", quiet_flag(False))
    print_json(result)
