"""Field-level accuracy of `cctv-parse/1` objects against hand-written gold records.

The corpus under tests/files/policies is judged by people, not by the parser, so this module
only compares: it never imports the parser. Tests and report scripts feed it (gold, parsed)
pairs and read one `Report` with a micro-averaged score, per-field and per-page scores and
the individual misses. Rules for what the gold says live in tests/files/policies/README.md.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "files" / "policies"

POLICY_FIELDS = (
    "title",
    "device_scope",
    "items_present",
    "recording_hours",
    "retention_days_max",
    "retention_days_min",
    "storage_locations",
    "enacted_on",
    "revised_on",
    "contractors",
    "contacts",
    "attachments",
    "is_template",
)
CAMERA_FIELDS = (
    "unit",
    "purpose_raw",
    "purpose",
    "camera_count",
    "location",
    "recording_hours",
    "recording",
    "retention_days",
    "retention_raw",
    "storage_location",
    "device_type",
    "is_template",
    "phone",
)
# Free text keeps the source's wording; only layout noise (spacing, dot glyphs) is forgiven.
TEXT_FIELDS = frozenset(
    {"title", "unit", "purpose_raw", "location", "retention_raw", "storage_location"}
)
MISSING_ROW = "<no such row>"

_DOTS = re.compile("[\u00b7\u2024\u2027\u30fb\u318d\u2022\uff65]")
_SPACE = re.compile(r"\s+")


def norm_text(value: Any) -> Any:
    """Text as a reader sees it: NFC, one kind of middle dot, single spaces, no ends."""
    if not isinstance(value, str):
        return value
    value = _DOTS.sub("·", unicodedata.normalize("NFC", value))
    return _SPACE.sub(" ", value).strip()


def norm_name(value: Any) -> Any:
    """Names and company names: compatibility forms folded (㈜ → (주)), spaces dropped, so a
    masked `서 * *` equals `서**`."""
    if not isinstance(value, str):
        return value
    return _SPACE.sub("", _DOTS.sub("·", unicodedata.normalize("NFKC", value)))


def _scalar(value: Any) -> Any:
    """Typed scalar, so that True never equals 1 and 30 equals 30.0."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("num", float(value))
    if isinstance(value, str):
        return ("str", value.strip())
    return value


def _dicts(values: Iterable[Any]) -> list[dict]:
    return [v for v in values if isinstance(v, dict)]


def _contact(c: dict) -> tuple:
    return (
        c.get("role"),
        norm_name(c.get("name")),
        norm_text(c.get("title")),
        norm_text(c.get("department")),
        _scalar(c.get("phone")),
    )


def _url(a: dict) -> str:
    return str(a.get("url") or "").strip()


# Policy list fields whose order carries no meaning: compared as sets of these keys.
_SET_FORMS: dict[str, Callable[[list], frozenset]] = {
    "items_present": lambda v: frozenset(v),
    "storage_locations": lambda v: frozenset(norm_text(s) for s in v),
    "contractors": lambda v: frozenset(
        (norm_name(c.get("name")), _scalar(c.get("phone"))) for c in _dicts(v)
    ),
    "contacts": lambda v: frozenset(_contact(c) for c in _dicts(v)),
    "attachments": lambda v: frozenset(_url(a) for a in _dicts(v)),
    "attachments.kind": lambda v: frozenset((_url(a), a.get("kind")) for a in _dicts(v)),
}


def comparable(scope: str, name: str, value: Any) -> Any:
    """The form in which one field is compared: sets where order carries no meaning,
    normalised text for free text, typed scalars otherwise."""
    if scope == "policy" and name in _SET_FORMS:
        if not isinstance(value, list | tuple):
            return value
        try:
            return _SET_FORMS[name](value)
        except TypeError:  # unhashable members: wrong, but must not break the report
            return ("unhashable", repr(value))
    if name in TEXT_FIELDS:
        return _scalar(norm_text(value))
    return _scalar(value)


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


@dataclass(frozen=True)
class Failure:
    page: str
    field: str
    expected: Any
    got: Any
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.field}" if self.row is None else f"camera[{self.row}].{self.field[7:]}"
        return f"{self.page}  {where}: expected {self.expected!r}, got {self.got!r}"


@dataclass
class PageScore:
    page: str
    correct: int = 0
    total: int = 0
    gold_rows: int = 0
    parsed_rows: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    @property
    def rows_match(self) -> bool:
        return self.gold_rows == self.parsed_rows


@dataclass
class Report:
    by_field: dict[str, FieldScore] = field(default_factory=dict)
    pages: list[PageScore] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # page id → exception the parser raised

    @property
    def correct(self) -> int:
        return sum(s.correct for s in self.by_field.values())

    @property
    def total(self) -> int:
        return sum(s.total for s in self.by_field.values())

    @property
    def overall(self) -> float:
        """Micro-average: every single field comparison weighs the same."""
        return self.correct / self.total if self.total else 1.0

    @property
    def by_page(self) -> dict[str, float]:
        return {p.page: p.accuracy for p in self.pages}

    @property
    def row_count_accuracy(self) -> float:
        """Share of pages whose number of camera rows equals the gold's."""
        return sum(p.rows_match for p in self.pages) / len(self.pages) if self.pages else 1.0

    def worst_fields(self, n: int = 10) -> list[tuple[str, FieldScore]]:
        ranked = sorted(self.by_field.items(), key=lambda kv: (kv[1].accuracy, -kv[1].total))
        return ranked[:n]

    def worst_pages(self, n: int = 10) -> list[PageScore]:
        return sorted(self.pages, key=lambda p: (p.accuracy, p.page))[:n]

    def table(self, pages: int = 12, failures: int = 40) -> str:
        """A plain-text summary for a person reading test output."""
        lines = [
            f"policy corpus: {self.correct}/{self.total} field comparisons right = "
            f"{self.overall:.1%} over {len(self.pages)} pages",
            f"camera row counts right on {sum(p.rows_match for p in self.pages)}/"
            f"{len(self.pages)} pages = {self.row_count_accuracy:.1%}",
            "",
            f"{'field':<28}{'right':>7}{'of':>7}{'accuracy':>10}",
        ]
        for name, s in sorted(self.by_field.items(), key=lambda kv: kv[1].accuracy):
            lines.append(f"{name:<28}{s.correct:>7}{s.total:>7}{s.accuracy:>10.1%}")
        lines += ["", f"{'worst pages':<48}{'accuracy':>9}{'rows gold/parsed':>18}"]
        for p in self.worst_pages(pages):
            lines.append(f"{p.page:<48}{p.accuracy:>9.1%}{f'{p.gold_rows}/{p.parsed_rows}':>18}")
        if self.errors:
            lines += ["", "parser raised on:"]
            lines += [f"  {page}: {error}" for page, error in self.errors.items()]
        if self.failures:
            lines += [
                "",
                f"first {min(failures, len(self.failures))} of {len(self.failures)} misses:",
            ]
            lines += [f"  {f}" for f in self.failures[:failures]]
        return "\n".join(lines)


def _align(gold: list[dict], got: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Pairs of rows in page order; with unequal counts, rows that match on (count, location)
    anchor the alignment so one missing row does not shift every row after it."""
    if len(gold) == len(got):
        return list(zip(gold, got, strict=True))

    def key(row: dict) -> tuple:
        return (_scalar(row.get("camera_count")), norm_text(row.get("location")))

    pairs: list[tuple[dict | None, dict | None]] = []
    matcher = difflib.SequenceMatcher(
        a=[key(r) for r in gold], b=[key(r) for r in got], autojunk=False
    )
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = gold[i1:i2], got[j1:j2]
        common = min(len(a), len(b))
        pairs += list(zip(a[:common], b[:common], strict=True))
        pairs += [(g, None) for g in a[common:]]
        pairs += [(None, p) for p in b[common:]]
    return pairs


def _added_fields(gold: dict, parsed: dict) -> list[tuple[str, Any, Any]]:
    """Fields scored only where the gold states them: the total the page itself states
    (`stated_total`, checked against the rows) and the institution's code as the parser
    identified it. Older gold records have neither, so their scores do not change."""
    fields = []
    if "stated_total" in gold:
        got_policy = parsed.get("policy") or {}
        fields.append(("policy.stated_total", gold["stated_total"], got_policy.get("stated_total")))
    if "institution" in gold:
        got_inst = parsed.get("institution") or {}
        fields.append(("institution.code", gold["institution"]["code"], got_inst.get("code")))
    return fields


def score(
    pages: Sequence[tuple[dict, dict]] | Sequence[tuple[str, dict, dict]],
) -> Report:
    """Compare each parsed object with its gold, field by field.

    `pages` holds (gold, parsed) or (page_id, gold, parsed). Policy fields are compared once
    per page; camera fields once per aligned row, where a row only on one side counts every
    field as wrong. `attachments.kind` is scored on pages whose gold lists attachments.
    """
    report = Report()
    for name in POLICY_FIELDS:
        report.by_field[f"policy.{name}"] = FieldScore()
    report.by_field["policy.attachments.kind"] = FieldScore()
    for name in CAMERA_FIELDS:
        report.by_field[f"camera.{name}"] = FieldScore()

    for index, entry in enumerate(pages):
        if len(entry) == 3:
            page_id, gold, parsed = entry  # type: ignore[misc]
        else:
            page_id, (gold, parsed) = f"page {index + 1}", entry  # type: ignore[misc]
        parsed = parsed or {}
        gold_cams = list(gold.get("cameras") or [])
        got_cams = list(parsed.get("cameras") or [])
        page = PageScore(str(page_id), gold_rows=len(gold_cams), parsed_rows=len(got_cams))

        def tally(
            key: str,
            expected: Any,
            got: Any,
            same: bool,
            row: int | None = None,
            page: PageScore = page,
            page_id: str = str(page_id),
        ) -> None:
            report.by_field.setdefault(key, FieldScore()).total += 1
            page.total += 1
            if same:
                report.by_field[key].correct += 1
                page.correct += 1
            else:
                report.failures.append(Failure(page_id, key, expected, got, row))

        gold_policy = gold.get("policy") or {}
        got_policy = parsed.get("policy") or {}
        names: list[str] = list(POLICY_FIELDS)
        if gold_policy.get("attachments"):
            names.append("attachments.kind")
        for name in names:
            source = name.split(".")[0]
            expected, got = gold_policy.get(source), got_policy.get(source)
            same = comparable("policy", name, expected) == comparable("policy", name, got)
            tally(f"policy.{name}", expected, got, same)

        for key, expected, got in _added_fields(gold, parsed):
            tally(key, expected, got, _scalar(expected) == _scalar(got))

        for row, (g, p) in enumerate(_align(gold_cams, got_cams)):
            for name in CAMERA_FIELDS:
                expected = g.get(name) if g is not None else MISSING_ROW
                got = p.get(name) if p is not None else MISSING_ROW
                same = (
                    g is not None
                    and p is not None
                    and comparable("camera", name, expected) == comparable("camera", name, got)
                )
                tally(f"camera.{name}", expected, got, same, row)
        report.pages.append(page)
    return report


@dataclass(frozen=True)
class CorpusPage:
    id: str
    body: bytes
    meta: dict
    gold: dict

    @property
    def institution(self) -> dict:
        return self.meta.get("institution") or {}


def load_corpus(root: Path = CORPUS) -> list[CorpusPage]:
    """Every page directory under `root` (page.html, meta.json, gold.json), sorted by id."""
    pages = []
    for directory in sorted(p for p in root.iterdir() if (p / "page.html").is_file()):
        pages.append(
            CorpusPage(
                id=directory.name,
                body=(directory / "page.html").read_bytes(),
                meta=json.loads((directory / "meta.json").read_text(encoding="utf-8")),
                gold=json.loads((directory / "gold.json").read_text(encoding="utf-8")),
            )
        )
    return pages


def score_corpus(
    parse: Callable[[CorpusPage], dict], pages: Iterable[CorpusPage] | None = None
) -> Report:
    """Parse every corpus page with `parse` and score it. A page the parser raises on scores
    as if it returned nothing, and the exception is kept in `Report.errors`, so one crash
    does not hide the measurements of the other pages."""
    triples = []
    errors: dict[str, str] = {}
    for page in load_corpus() if pages is None else pages:
        try:
            parsed = parse(page)
        except Exception as exc:
            errors[page.id] = f"{type(exc).__name__}: {exc}"
            parsed = {}
        triples.append((page.id, page.gold, parsed))
    report = score(triples)
    report.errors = errors
    return report


# ------------------------------------------------------------------ per-page scores

SCORE_FILE = Path(__file__).resolve().parent / "files" / "page_scores.json"


def page_record(page: PageScore) -> dict:
    """What is kept of one page's score: enough to tell whether it got worse."""
    return {"correct": page.correct, "total": page.total, "rows_match": page.rows_match}


def worse_pages(committed: dict[str, dict], current: dict[str, dict]) -> list[str]:
    """Pages that score lower now than in the committed file, or lost their row count, or
    are no longer scored at all; one line each, saying by how much."""
    lines = []
    for key, was in sorted(committed.items()):
        now = current.get(key)
        if now is None:
            lines.append(f"{key}: no longer scored")
            continue
        before = was["correct"] / was["total"] if was["total"] else 1.0
        after = now["correct"] / now["total"] if now["total"] else 1.0
        if after < before - 1e-9:
            lines.append(
                f"{key}: {was['correct']}/{was['total']} = {before:.1%} → "
                f"{now['correct']}/{now['total']} = {after:.1%}"
            )
        if was["rows_match"] and not now["rows_match"]:
            lines.append(f"{key}: camera row count no longer matches the gold")
    return lines


def current_page_scores() -> dict[str, dict]:
    """Every scored page of every corpus set, parsed by the current parser, as the set's own
    test parses it. Imported here, not at the top: this module itself never uses the parser."""
    from tests.unit import test_policy_accuracy, test_policy_round3
    from tests.unit.test_policy_blind import BLIND
    from tests.unit.test_policy_holdout import HOLDOUT

    sets = {
        "policies": (CORPUS, test_policy_accuracy.parse),
        "policies_holdout": (HOLDOUT, test_policy_accuracy.parse),
        "policies_blind": (BLIND, test_policy_accuracy.parse),
        "policies_round3": (test_policy_round3.ROUND3, test_policy_round3.parse),
    }
    scores: dict[str, dict] = {}
    for name, (root, parse) in sets.items():
        report = score_corpus(parse, load_corpus(root))
        scores.update({f"{name}/{p.page}": page_record(p) for p in report.pages})
    return scores


def write_page_scores(scores: dict[str, dict], path: Path = SCORE_FILE) -> None:
    path.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tests.accuracy --update-scores`: record the current per-page scores after a
    deliberate improvement. Refuses when a page got worse, so the file never hides a loss."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m tests.accuracy")
    parser.add_argument("--update-scores", action="store_true", help=f"rewrite {SCORE_FILE.name}")
    args = parser.parse_args(argv)
    current = current_page_scores()
    committed = json.loads(SCORE_FILE.read_text(encoding="utf-8")) if SCORE_FILE.exists() else {}
    losses = worse_pages(committed, current)
    for line in losses:
        print(f"worse: {line}", file=sys.stderr)
    better = [k for k in current if k not in committed or current[k] != committed[k]]
    print(f"{len(current)} pages scored, {len(losses)} worse, {len(better)} new or changed")
    if not args.update_scores:
        return 1 if losses else 0
    if losses:
        print("error: not updated: pages got worse (listed above)", file=sys.stderr)
        return 1
    write_page_scores(current)
    print(f"wrote {SCORE_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
