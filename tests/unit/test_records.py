"""Each typed row has exactly its table's columns, in order, with the schema's value types and
nullability: a column added to the schema and not to the record (or the other way) fails."""

from __future__ import annotations

import datetime as dt
import types
import typing
from pathlib import Path

import pyarrow as pa
import pytest

from transforms.contract import parse_document
from warehouse.records import RECORDS, RowProvenance
from warehouse.schema import PROVENANCE, TABLES

FILES = Path(__file__).resolve().parent.parent / "files"


def _python_type(kind: pa.DataType) -> object:
    if pa.types.is_string(kind):
        return str
    if pa.types.is_boolean(kind):
        return bool
    if pa.types.is_integer(kind):
        return int
    if pa.types.is_floating(kind):
        return float
    if pa.types.is_date(kind):
        return dt.date
    if pa.types.is_timestamp(kind):
        return dt.datetime
    if pa.types.is_list(kind):
        return ("list", _python_type(kind.value_type))
    if pa.types.is_struct(kind):
        return ("struct", tuple((f.name, _python_type(f.type)) for f in kind))
    raise AssertionError(f"no Python type for {kind}")


def _shape(hint: object) -> object:
    """A record's annotation in `_python_type`'s terms: lists and TypedDicts by their parts."""
    if typing.get_origin(hint) is list:
        return ("list", _shape(typing.get_args(hint)[0]))
    if typing.is_typeddict(hint):
        return ("struct", tuple((k, _shape(v)) for k, v in typing.get_type_hints(hint).items()))
    return hint


def _split(hint: object) -> tuple[object, bool]:
    """(the type, whether None is allowed) of `X | None` or `X`."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        assert len(args) == 1, hint
        return args[0], True
    return hint, False


def test_every_table_built_row_by_row_has_a_record_type() -> None:
    assert set(RECORDS) == set(TABLES) - {"captures", "standard_points"}


def _mismatches(schema: pa.Schema, record: type) -> list[str]:
    hints = typing.get_type_hints(record)
    if list(hints) != schema.names:
        return [f"columns {list(hints)} against {schema.names}"]
    found = []
    for f in schema:
        kind, optional = _split(hints[f.name])
        if optional != f.nullable:
            found.append(f"{f.name}: {'nullable' if f.nullable else 'not null'} in the schema")
        if _shape(kind) != _python_type(f.type):
            found.append(f"{f.name}: {kind} for {f.type}")
    if record.__required_keys__ != frozenset(schema.names):
        found.append("every column is a required key")
    return found


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_record_has_the_schemas_columns_types_and_nullability(table: str) -> None:
    assert not _mismatches(TABLES[table], RECORDS[table]), table


def test_a_column_added_or_changed_on_one_side_is_caught() -> None:
    contractors = TABLES["contractors"]
    assert _mismatches(contractors.append(pa.field("email", pa.string())), RECORDS["contractors"])
    stricter = contractors.set(1, contractors.field("name").with_nullable(False))
    assert _mismatches(stricter, RECORDS["contractors"]) == ["name: not null in the schema"]
    retyped = contractors.set(2, pa.field("phone", pa.int64()))
    assert _mismatches(retyped, RECORDS["contractors"]) == ["phone: <class 'str'> for int64"]


def test_the_provenance_columns_end_every_document_table() -> None:
    names = list(typing.get_type_hints(RowProvenance))
    assert names == [f.name for f in PROVENANCE]
    assert not _mismatches(pa.schema(PROVENANCE), RowProvenance)
    for table in ("policies", "cameras", "contacts", "contractors", "aggregates"):
        assert TABLES[table].names[-len(names) :] == names


def test_the_contracts_rows_with_what_the_build_adds_are_the_records() -> None:
    # The build spreads the parse's camera, contact and contractor objects into rows: their
    # fields and the ones it adds must be exactly the table's columns (in any order).
    page = FILES / "policies" / "p11_wanju_egov_euckr_example_and_real" / "page.html"
    contract = parse_document(page.read_bytes(), path=str(page))
    policy = contract["policy"]
    assert contract["cameras"] and policy["contacts"] and policy["contractors"]
    provenance = list(typing.get_type_hints(RowProvenance))
    added = {
        "cameras": (["inst_code"], contract["cameras"], ["source_kind", *provenance]),
        "contacts": (["inst_code"], policy["contacts"], provenance),
        "contractors": (["inst_code"], policy["contractors"], provenance),
    }
    for table, (before, objects, after) in added.items():
        for obj in objects:
            columns = [*before, *obj, *after]
            assert len(columns) == len(set(columns)), table
            assert set(columns) == set(typing.get_type_hints(RECORDS[table])), table
