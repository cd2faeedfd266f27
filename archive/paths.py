"""Where the data lives: `data/` beside the project, or `$CCTV_DATA_DIR`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def warc_dir(self) -> Path:
        return self.archive / "warc"

    @property
    def index_dir(self) -> Path:
        return self.archive / "index"

    @property
    def crawl_log_dir(self) -> Path:
        return self.archive / "logs"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def parquet_dir(self) -> Path:
        return self.warehouse / "parquet"

    @property
    def duckdb(self) -> Path:
        return self.warehouse / "cctv.duckdb"

    @property
    def data_docs(self) -> Path:
        return self.root / "data_docs"

    @property
    def validation_dir(self) -> Path:
        return self.root / "validation"


def data_paths(root: str | os.PathLike[str] | None = None) -> DataPaths:
    """Resolve the data directory once, to an absolute path, so nothing depends on the cwd."""
    if root is None:
        root = os.environ.get("CCTV_DATA_DIR") or PROJECT_ROOT / "data"
    return DataPaths(Path(root).resolve())
