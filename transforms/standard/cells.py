"""Standard-data cells → values, by the project's value grammars (transforms/values).

A standard-data column holds few distinct values among many rows, so each grammar here is
applied once per distinct cell (warehouse/standard/align.py aligns the answers back to the
rows); the same definitions read policy pages and inventories.
"""

from __future__ import annotations

from domain.text import compact
from transforms.values.purposes import ALIASES, CANONICAL_PURPOSES


def standard_purpose(raw: str | None) -> str | None:
    """A 설치목적구분 cell → canonical purpose via the reviewed alias table only: the
    keyword reading used for policy sentences would be an unreviewed guess here."""
    flat = compact(raw)
    if not flat:
        return None
    return flat if flat in CANONICAL_PURPOSES else ALIASES.get(flat.casefold())
