"""Findings about a document: what could not be read, mapped or trusted, and where."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

# Issues kept per document. The largest real inventory (61,543 rows) gives ~4,600; a hostile
# file can give one per cell, and a million rows of one finding say no more than its count.
MAX_ISSUES = 10_000
_LEVELS = ("info", "warning", "error")


@dataclass(frozen=True)
class Issue:
    level: str  # "error" | "warning" | "info"
    code: str
    message: str
    row_ref: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


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
        f"{len(rest):,} more issues beyond the first {limit:,} are not listed: {listed}",
    )
    return [*issues[:limit], summary]
