"""Findings about a document: what could not be read, mapped or trusted, and where."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    level: str  # "error" | "warning" | "info"
    code: str
    message: str
    row_ref: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)
