"""One standard-data file → the cctv-parse/1 object, read by the loader the build uses.

`cctv parse` on a standard-data file shows the `standard_points` rows and quality issues
that `cctv build` loads for it (less the provenance columns only an archived capture has):
both come from `load_standard`, so what a person sees is what lands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from registry.institutions import InstitutionLike, InstitutionResolver
from transforms.contract import CONTRACT, DocumentError
from transforms.readers import ReaderError
from transforms.sniff import MEDIA_TYPES, sniff_kind
from transforms.standard import StandardHeaderError
from warehouse.standard import load_standard

# Columns a parse cannot know: they name the archived capture and the build's parser.
PROVENANCE = ("capture_sha256", "source_url", "fetched_at", "parser_version")
_JSON = "application/json"


def _plain(value: object) -> object:
    """A value as JSON states it: dates and times in ISO form."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def standard_contract(
    body: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    filename: str | None = None,
    institutions: Iterable[InstitutionLike] | InstitutionResolver,
    inst_code: str | None = None,
    inst_name: str | None = None,
) -> dict:
    """The contract object of a standard-data file: `standard_points` rows and their
    issues; raises DocumentError when the bytes are no standard data after all."""
    sha256 = hashlib.sha256(body).hexdigest()
    try:
        loaded = load_standard(
            body,
            filename=filename or path,
            capture_sha256=sha256,
            source_url=url,
            fetched_at=None,
            institutions=institutions,
            inst_code=inst_code,
        )
    except (StandardHeaderError, ReaderError) as exc:
        raise DocumentError(str(exc)) from exc
    points = loaded.table.drop_columns(list(PROVENANCE)).to_pylist()
    kind = sniff_kind(body, None, filename or path)
    media_type = _JSON if loaded.generation == "api" else MEDIA_TYPES[kind]
    return {
        "contract": CONTRACT,
        "source": {"path": path, "url": url, "sha256": sha256, "media_type": media_type},
        "institution": {
            "name": inst_name if inst_code else None,
            "code": inst_code,
            "identified_by": "hint" if inst_code else None,
            "confidence": "high" if inst_code else None,
        },
        "policy": None,
        "cameras": [],
        "standard": {"generation": loaded.generation, "encoding": loaded.encoding},
        "standard_points": [{k: _plain(v) for k, v in row.items()} for row in points],
        "issues": [
            {
                "level": issue["level"],
                "code": issue["code"],
                "message": issue["message"],
                "row_ref": issue["row_ref"],
                "inst_code": issue["inst_code"],
            }
            for issue in loaded.issues
        ],
    }
