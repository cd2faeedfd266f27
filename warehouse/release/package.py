"""`datapackage.json`: the release as a Frictionless Data Package, its table schemas taken
from the same field metadata as the data dictionary (`warehouse.schema`), so the package,
the Parquet files and docs/data-dictionary.md cannot describe a column differently.

Each resource is a table's CSV (what any Frictionless tool reads); its Parquet twin is
named beside it under `parquet`. Types follow the CSV as written by
`warehouse.release.tables`: lists and structs are JSON arrays, times ISO 8601 UTC.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from warehouse.dictionary import field_doc, table_doc
from warehouse.labels import column_label, unit_label
from warehouse.release.licences import DATA_LICENCES, PROJECT
from warehouse.release.tables import PRIMARY_KEYS, TableFiles, table_title
from warehouse.schema import TABLES

PACKAGE = "datapackage.json"
PROFILE = "tabular-data-package"

# Columns that point at another table's rows: (column, table, column there). Every row read
# from a document joins its capture; every institution code is one the build knows (the
# crawl registry and the dimension both fill `institutions`).
_FROM_DOCUMENTS = (
    "policies",
    "cameras",
    "contacts",
    "contractors",
    "quality_issues",
    "aggregates",
    "standard_points",
)
FOREIGN_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    name: tuple(
        ([("capture_sha256", "captures", "sha256")] if name in _FROM_DOCUMENTS else [])
        + (
            [("inst_code", "institutions", "inst_code")]
            if name != "institutions" and "inst_code" in TABLES[name].names
            else []
        )
    )
    for name in TABLES
}


def field_type(kind: pa.DataType) -> str:
    """The Table Schema type of an Arrow type, as the release's CSV writes it."""
    if pa.types.is_string(kind):
        return "string"
    if pa.types.is_integer(kind):
        return "integer"
    if pa.types.is_floating(kind):
        return "number"
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_date(kind):
        return "date"
    if pa.types.is_timestamp(kind):
        return "datetime"
    if pa.types.is_list(kind) or pa.types.is_struct(kind):
        return "array"
    raise ValueError(f"no Table Schema type for {kind}")


def schema_field(table: str, f: pa.Field) -> dict[str, Any]:
    """One column: name, Korean title, type, unit, description, required."""
    unit, description = field_doc(f)
    out: dict[str, Any] = {
        "name": f.name,
        "title": column_label(table, f.name),
        "type": field_type(f.type),
        "description": description,
    }
    if unit:
        out["unit"] = unit
        out["unitTitle"] = unit_label(unit)
    if pa.types.is_timestamp(f.type):
        out["format"] = "%Y-%m-%dT%H:%M:%S.%fZ"
    if not f.nullable or f.name in PRIMARY_KEYS.get(table, ()):
        out["constraints"] = {"required": True}
    return out


def resource(files: TableFiles, hashes: dict[str, str], sizes: dict[str, int]) -> dict[str, Any]:
    """A table's resource: its CSV with schema, keys and checksum, its Parquet beside it."""
    schema = TABLES[files.name]
    meta = table_doc(schema)
    fields: dict[str, Any] = {"fields": [schema_field(files.name, f) for f in schema]}
    if files.name in PRIMARY_KEYS:
        fields["primaryKey"] = list(PRIMARY_KEYS[files.name])
    if FOREIGN_KEYS.get(files.name):
        fields["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": target, "fields": [there]}}
            for column, target, there in FOREIGN_KEYS[files.name]
        ]
    return {
        "name": files.name,
        "profile": "tabular-data-resource",
        "title": table_title(files.name),
        "description": f"{meta.get('doc', '')} One row per {meta.get('grain', '?')}.",
        "path": files.csv,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "bytes": sizes[files.csv],
        "hash": f"sha256:{hashes[files.csv]}",
        "rows": files.rows,
        "parquet": {
            "path": files.parquet,
            "bytes": sizes[files.parquet],
            "hash": f"sha256:{hashes[files.parquet]}",
        },
        "schema": fields,
    }


def data_package(
    *,
    release: str,
    tables: list[TableFiles],
    hashes: dict[str, str],
    sizes: dict[str, int],
    citation: str,
    captured: tuple[str | None, str | None],
) -> dict[str, Any]:
    """The whole `datapackage.json`. It holds no creation time (release.json does), so
    two releases of the same data write the same bytes."""
    return {
        "profile": PROFILE,
        "name": PROJECT.package,
        "id": f"{PROJECT.package}-{release}",
        "version": release,
        "title": PROJECT.title,
        "description": PROJECT.description,
        "keywords": list(PROJECT.keywords),
        "licenses": [dict(licence) for licence in DATA_LICENCES],
        "sources": [dict(source) for source in PROJECT.sources],
        "contributors": [{"title": PROJECT.holder, "role": "author"}],
        "citation": citation,
        "temporal": {"start": captured[0], "end": captured[1]},
        "resources": [resource(files, hashes, sizes) for files in tables],
    }
