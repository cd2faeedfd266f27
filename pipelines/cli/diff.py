"""`cctv diff`: what changed between two crawls, field by field."""

from __future__ import annotations

from typing import Annotated

import typer

from pipelines.cli.common import paths_of
from pipelines.console import AsJson, DataDir, RegistryFile, fail, print_json, result_line
from registry import REGISTRY_CSV, load_registry


def diff(
    from_crawl: Annotated[str | None, typer.Option("--from", help="Earlier crawl id.")] = None,
    to_crawl: Annotated[str | None, typer.Option("--to", help="Later crawl id.")] = None,
    registry: RegistryFile = REGISTRY_CSV,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """What changed between two crawls (default: the last two), field by field: per
    institution, its policies (retention, hours, storage, items, dates), its camera total
    and its camera rows (added, removed, changed)."""
    from archive.index import read_index
    from pipelines.stages import missing_archive
    from warehouse.history import crawl_ids, diff_crawls, diff_document, diff_lines
    from warehouse.parsing import DocumentParser
    from warehouse.policy_pages import judged

    paths = paths_of(data_dir)
    captures = read_index(paths)
    crawls = crawl_ids(captures)
    if not crawls:
        raise fail(missing_archive(paths))
    if len(crawls) < 2 and not (from_crawl and to_crawl):
        raise fail(f"need two crawls to compare; the archive has {len(crawls)}")
    from_crawl = from_crawl or crawls[-2]
    to_crawl = to_crawl or crawls[-1]
    for crawl_id in (from_crawl, to_crawl):
        if crawl_id not in crawls:
            raise fail(f"no crawl {crawl_id!r} in the archive; crawls: {', '.join(crawls)}")
    institutions = load_registry(registry)
    parser = DocumentParser(paths, institutions, captures)
    # The pages the build takes as policies, and only those (not a login or error page).
    result = diff_crawls(judged(captures, parser.reader.payload), parser, from_crawl, to_crawl)
    names = {i.inst_code: i.name for i in institutions}
    if as_json:
        print_json(diff_document(result, names))
        return
    for line in diff_lines(result, names):
        result_line(line)
