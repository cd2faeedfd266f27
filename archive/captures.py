"""The capture index's schema: what each archived record holds and where it sits.

The archive writes it; `cctv build` copies it into the warehouse as the `captures` table.
"""

from __future__ import annotations

import pyarrow as pa

from domain.fields import TS, doc, table_doc

CAPTURES = pa.schema(
    [
        pa.field(
            "sha256",
            pa.string(),
            nullable=False,
            metadata=doc(
                "SHA-256 (hex) of the payload (the body after HTTP content decoding). A "
                "revisit row carries the sha256 of the payload it stands for."
            ),
        ),
        pa.field(
            "url",
            pa.string(),
            nullable=False,
            metadata=doc(
                "URL of the response (each redirect hop is its own row); for an "
                "imported file the `--url` given, else its `file://` URI."
            ),
        ),
        pa.field(
            "status",
            pa.int32(),
            metadata=doc(
                "HTTP status of the response (304: unchanged since the copy it confirms); null "
                "for a file brought in by hand.",
                unit="HTTP status code",
            ),
        ),
        pa.field(
            "content_type",
            pa.string(),
            metadata=doc("Content-Type header as served; for an imported file, its media type."),
        ),
        pa.field(
            "content_disposition",
            pa.string(),
            metadata=doc("Content-Disposition header as served."),
        ),
        pa.field(
            "filename",
            pa.string(),
            metadata=doc(
                "File name from Content-Disposition (RFC 5987 `filename*` decoded), or "
                "the imported file's name."
            ),
        ),
        pa.field(
            "last_modified", pa.string(), metadata=doc("Last-Modified header as served (text).")
        ),
        pa.field("etag", pa.string(), metadata=doc("ETag header as served.")),
        pa.field(
            "media_type",
            pa.string(),
            metadata=doc("Media type read from the payload's bytes, not from its name."),
        ),
        pa.field("size_bytes", pa.int64(), metadata=doc("Payload size.", unit="bytes")),
        pa.field(
            "fetched_at",
            TS,
            nullable=False,
            metadata=doc("When the response was received or the file imported.", unit="UTC"),
        ),
        pa.field(
            "inst_code",
            pa.string(),
            metadata=doc(
                "Institution the request was made for; null when none (the national "
                "standard-data download, an import without `-i`)."
            ),
        ),
        pa.field(
            "role",
            pa.string(),
            metadata=doc(
                "Why it was fetched: `homepage`, `sitemap`, `privacy`, `policy`, "
                "`attachment`, `robots`, `other`; `import` and `standard` for files "
                "brought in by hand or the standard-data download. On a `render = js` "
                "site, `policy_raw` is the policy page as served (its `conversion` is the "
                "policy) and `render` what its scripts fetched while it rendered."
            ),
        ),
        pa.field("referer", pa.string(), metadata=doc("Referer header of the request.")),
        pa.field(
            "warc_file",
            pa.string(),
            nullable=False,
            metadata=doc("WARC file in `archive/warc/` that holds the record."),
        ),
        pa.field(
            "warc_offset",
            pa.int64(),
            nullable=False,
            metadata=doc(
                "Offset of the record (its gzip member) in `warc_file`: `warcio extract "
                "FILE OFFSET` reads it.",
                unit="bytes",
            ),
        ),
        pa.field(
            "warc_length",
            pa.int64(),
            metadata=doc("Length of the record's gzip member.", unit="bytes"),
        ),
        pa.field(
            "record_type",
            pa.string(),
            nullable=False,
            metadata=doc(
                "`response` (an HTTP response that holds the payload), `resource` (a file "
                "brought in by hand: the payload with no HTTP exchange), `conversion` (a "
                "page as the browser rendered it, beside the response it refers to; no "
                "`status`) or `revisit` (the payload is in the `response`/`resource` row "
                "with the same `sha256`: an identical body archived before, or a 304 Not "
                "Modified that confirms it)."
            ),
        ),
        pa.field(
            "crawl_id",
            pa.string(),
            nullable=False,
            metadata=doc(
                "Crawl or import batch that wrote the record (`crawl-…`, `import-…`, "
                "`standard-…` with a UTC timestamp); the WARC and index files carry "
                "this name."
            ),
        ),
    ],
    metadata=table_doc(
        "archived response or imported file",
        "the crawl (`cctv crawl`), `cctv import` and `cctv fetch-standard`, "
        "into `archive/index/<crawl_id>.parquet` (archive/warc.py); copied "
        "as is by `cctv build`",
        "The capture index: what each archived record holds and where it sits "
        "in the WARC files. Failed responses (4xx, 5xx) and each redirect hop "
        "have their own rows.",
    ),
)
