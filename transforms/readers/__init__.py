"""Every inventory format → the same Grid type."""

from __future__ import annotations

from transforms.grid import Grid
from transforms.readers.csv import read_csv
from transforms.readers.xlsx import ReaderError, read_xlsx

READABLE = ("xlsx", "csv")


def read_grids(body: bytes, kind: str) -> list[Grid]:
    if kind == "xlsx":
        return read_xlsx(body)
    if kind == "csv":
        return read_csv(body)[0]
    raise ReaderError(f"no reader for {kind} files yet")


__all__ = ["READABLE", "ReaderError", "read_grids"]
