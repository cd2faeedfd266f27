"""Findings about a document: what could not be read, mapped or trusted, and where."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import TypedDict

# Issues kept per document. The largest real inventory (61,543 rows) gives ~4,600; a hostile
# file can give one per cell, and a million rows of one finding say no more than its count.
MAX_ISSUES = 10_000
_LEVELS = ("info", "warning", "error")


class IssueRow(TypedDict):
    """A `quality_issues` row (warehouse/schema.py QUALITY_ISSUES, in its column order)."""

    level: str
    code: str
    message: str | None
    stage: str
    inst_code: str | None
    row_ref: str | None
    capture_sha256: str | None
    source_url: str | None
    parser_version: str | None


@dataclass(frozen=True)
class Provenance:
    """Where a finding was made: the stage that made it, the institution concerned and the
    archived document (or, for a failed fetch, the URL) it is about. One value serves every
    finding about the same document."""

    stage: str  # "crawl" | "parse" | "build" | "standard"
    inst_code: str | None = None
    capture_sha256: str | None = None
    source_url: str | None = None
    parser_version: str | None = None


@dataclass(frozen=True)
class Issue:
    level: str  # "error" | "warning" | "info"
    code: str
    message: str
    row_ref: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The finding as the cctv-parse/1 contract lists it (no provenance: the caller
        knows which document it parsed)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, value: dict[str, str | None]) -> Issue:
        """Back from `as_dict` (a cached parse)."""
        return cls(value["level"], value["code"], value["message"], value.get("row_ref"))

    def row(self, where: Provenance) -> IssueRow:
        """The `quality_issues` row: this finding where it was made."""
        return {
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "stage": where.stage,
            "inst_code": where.inst_code,
            "row_ref": self.row_ref,
            "capture_sha256": where.capture_sha256,
            "source_url": where.source_url,
            "parser_version": where.parser_version,
        }


def capped(issues: list[Issue], limit: int = MAX_ISSUES) -> list[Issue]:
    """The first `limit` issues, then one that counts the rest by code."""
    if len(issues) <= limit:
        return issues
    rest = issues[limit:]
    counts = Counter(i.code for i in rest)
    level = max((i.level for i in rest), key=lambda v: _LEVELS.index(v) if v in _LEVELS else 0)
    listed = ", ".join(f"{code} ×{n:,}" for code, n in counts.most_common())
    summary = Issue(
        level,
        "issues_truncated",
        f"처음 {limit:,}건 뒤의 이슈 {len(rest):,}건은 목록에 싣지 않음(종류별: {listed})",
    )
    return [*issues[:limit], summary]
