"""A column several tables share is defined once, in the catalogue, and used as defined."""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from warehouse.schema import FIELDS, HOMONYMS, PROVENANCE, TABLES, column


def _shared_names() -> dict[str, list[str]]:
    tables = defaultdict(list)
    for table, schema in TABLES.items():
        for f in schema:
            tables[f.name].append(table)
    return {name: found for name, found in tables.items() if len(found) > 1}


def test_every_name_two_tables_share_is_in_the_catalogue_or_a_known_homonym() -> None:
    loose = sorted(set(_shared_names()) - set(FIELDS) - set(HOMONYMS))
    assert not loose, f"define these once in warehouse.schema.FIELDS (or HOMONYMS): {loose}"
    assert not set(FIELDS) & set(HOMONYMS)


def test_every_catalogue_column_is_used_with_the_catalogues_type() -> None:
    for table, schema in TABLES.items():
        for f in schema:
            if f.name in FIELDS:
                assert f.type == FIELDS[f.name].type, f"{table}.{f.name}"
    used = {f.name for schema in TABLES.values() for f in schema}
    assert set(FIELDS) <= used, "a catalogue column no table uses"


def test_provenance_is_the_catalogues() -> None:
    assert all(f.equals(FIELDS[f.name], check_metadata=True) for f in PROVENANCE)
    for table in ("policies", "cameras", "contacts", "contractors", "aggregates"):
        tail = TABLES[table].names[-len(PROVENANCE) :]
        assert tail == [f.name for f in PROVENANCE], table
        for f in PROVENANCE:
            assert TABLES[table].field(f.name).equals(f, check_metadata=True), table


def test_a_table_overrides_only_what_it_says() -> None:
    assert column("inst_code").equals(FIELDS["inst_code"], check_metadata=True)
    strict = column("inst_code", nullable=False)
    assert not strict.nullable and strict.metadata == FIELDS["inst_code"].metadata
    own = column("retention_days", "보관일수 as written, checked.")
    assert own.metadata == {b"doc": "보관일수 as written, checked.".encode(), b"unit": b"days"}
    assert own.type == pa.int32() and own.nullable


def test_documents_rows_name_their_institution_with_one_description() -> None:
    described = {
        table: schema.field("inst_code").metadata
        for table, schema in TABLES.items()
        if table in ("policies", "cameras", "contacts", "contractors", "quality_issues")
    }
    assert all(meta == FIELDS["inst_code"].metadata for meta in described.values())
