"""The warehouse as a browsable, read-only database (`cctv serve`).

Datasette reads SQLite, and DuckDB's own SQLite writer is an extension it would download,
so `copy.py` writes a SQLite copy of the public tables with Python's sqlite3, fed from
DuckDB's Arrow batches; `metadata.py` gives Datasette the Korean titles, column names,
facets and the regulators' canned queries (`queries.py`); `guard.py` is the Datasette
plugin that keeps every connection to the copy read-only; `app.py` puts them together.
"""
