"""The Datasette app over the SQLite copy: read-only, Korean, and nothing but the copy.

The copy is opened as an immutable database (read-only, never locked or written), there
is no root user, no writable canned query and no download of the database file; the guard
plugin refuses at the engine what a typed query must not do. Datasette serves its own
stylesheets and scripts, so a page loads nothing from elsewhere.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from archive.paths import DataPaths
from warehouse.serve import errors, guard, words
from warehouse.serve.copy import CopySummary, make_copy
from warehouse.serve.metadata import metadata

TEMPLATES = Path(__file__).resolve().parent / "templates"

SETTINGS: dict[str, Any] = {
    "default_allow_sql": True,  # safe: immutable, read-only, and the guard's authorizer
    "allow_download": False,  # the release is where the files are published
    "suggest_facets": False,  # the facets are chosen; suggesting scans every column
    "sql_time_limit_ms": 3_000,
    "facet_time_limit_ms": 1_000,
    "max_returned_rows": 1_000,
    "default_facet_size": 30,
    "num_sql_threads": 2,
}


def serve_folder(paths: DataPaths) -> Path:
    """Where the copy lives: beside the warehouse, outside what a build replaces."""
    return paths.root / "serve"


def copy_tables(path: Path) -> dict[str, list[str]]:
    """Each table of the copy and its columns, read from the file itself."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            n: [row[1] for row in con.execute("SELECT * FROM pragma_table_info(?)", [n])]
            for n in names
        }
    finally:
        con.close()


def _register_plugins() -> None:
    """The guard, the Korean words, and the quiet error handler in the place of Datasette's."""
    from datasette.plugins import pm

    if not pm.is_registered(guard):
        pm.register(guard, name="cctv-serve-guard")
    if not pm.is_registered(words):
        pm.register(words, name="cctv-serve-words")
    if pm.get_plugin(errors.DEFAULT_HANDLER) is not None:
        pm.unregister(name=errors.DEFAULT_HANDLER)
    if not pm.is_registered(errors):
        pm.register(errors, name="cctv-serve-errors")


def datasette_for(copy: Path) -> Any:
    """The Datasette instance over the copy at `copy` (its `.app()` is the ASGI app)."""
    from datasette.app import Datasette

    _register_plugins()
    return Datasette(
        immutables=[str(copy)],
        metadata=metadata(copy_tables(copy)),
        settings=SETTINGS,
        template_dir=str(TEMPLATES),
    )


def serve_app(paths: DataPaths, *, rebuild: bool = False) -> tuple[Any, CopySummary]:
    """The copy of the warehouse of `paths` made (or reused), and Datasette over it."""
    summary = make_copy(paths.duckdb, serve_folder(paths), rebuild=rebuild)
    return datasette_for(summary.path), summary
