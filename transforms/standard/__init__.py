"""The national CCTV standard data (전국CCTV표준데이터): bytes → canonical string columns.

Pure reading only (no DuckDB): `layout` tells a header's generation, `read` decodes the
bytes and splits them into one Arrow string column per canonical column. The checks that
need sets of rows (drag-fill runs, shared points, repeated keys) and the loading into
`standard_points` are the warehouse's (warehouse/standard/).
"""

from transforms.standard.layout import (
    API_FIELDS,
    CANONICAL_COLUMNS,
    CORE,
    GENERATIONS,
    HEADER_NAMES,
    INSTALLED_FORMATS,
    LABELS,
    TRAILER,
    Layout,
    StandardHeaderError,
    detect_api_layout,
    detect_layout,
)
from transforms.standard.read import NULL_CELLS, Source, complete, read_source, sniff_standard

__all__ = [
    "API_FIELDS",
    "CANONICAL_COLUMNS",
    "CORE",
    "GENERATIONS",
    "HEADER_NAMES",
    "INSTALLED_FORMATS",
    "LABELS",
    "NULL_CELLS",
    "TRAILER",
    "Layout",
    "Source",
    "StandardHeaderError",
    "complete",
    "detect_api_layout",
    "detect_layout",
    "read_source",
    "sniff_standard",
]
