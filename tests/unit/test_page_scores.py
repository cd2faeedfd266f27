"""No corpus page may score worse than the score committed for it.

tests/files/page_scores.json keeps, for every page of every corpus set, how many field
comparisons the parser got right and whether its camera row count matched the gold. An
overall threshold lets one page fall while others rise; this test does not. A page that got
better is recorded deliberately with `python -m tests.accuracy --update-scores`.
"""

from __future__ import annotations

import json

from tests.accuracy import SCORE_FILE, current_page_scores, worse_pages


def test_no_page_scores_worse_than_committed() -> None:
    committed = json.loads(SCORE_FILE.read_text(encoding="utf-8"))
    current = current_page_scores()
    losses = worse_pages(committed, current)
    assert not losses, "pages that got worse:\n" + "\n".join(losses)
    unrecorded = sorted(set(current) - set(committed))
    assert not unrecorded, (
        f"pages without a committed score: {unrecorded}; record them with "
        "`python -m tests.accuracy --update-scores`"
    )


def test_worse_pages_sees_a_loss_a_lost_row_count_and_a_missing_page() -> None:
    committed = {
        "a/p1": {"correct": 9, "total": 10, "rows_match": True},
        "a/p2": {"correct": 5, "total": 10, "rows_match": True},
        "a/p3": {"correct": 1, "total": 1, "rows_match": True},
    }
    current = {
        "a/p1": {"correct": 8, "total": 10, "rows_match": True},
        "a/p2": {"correct": 6, "total": 10, "rows_match": False},
    }
    lines = worse_pages(committed, current)
    assert len(lines) == 3
    assert lines[0].startswith("a/p1: 9/10 = 90.0% → 8/10 = 80.0%")
    assert "row count" in lines[1] and lines[1].startswith("a/p2")
    assert lines[2] == "a/p3: no longer scored"
    better = {k: {**v, "correct": v["total"]} for k, v in committed.items()}
    assert worse_pages(committed, better) == []
