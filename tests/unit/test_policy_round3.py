"""How `parse_document` reads pages in the layouts that made camera totals silently wrong.

tests/files/policies_round3 (see its README) holds pages built from the structure of real
public pages of libraries, welfare centres, schools, 구청/군청, 공단 and 재단: count cells that
span many places, total rows, totals stated in prose, inventories outside tables, CCTV
sections inside general privacy policies, phones and contractors in unusual places,
attachments typed only by title, query string or link text, 이동형 sections, pointer
sentences, items without their usual headings, and institutions not in the registry by host.
Their gold also states the page's own total (`stated_total`) and the institution's code,
which the parser has to identify itself: it is given only the area code, never the
institution. The first score was taken blind, with the parser as it was before any of these
cases was worked on, and is recorded in the README; it is never recomputed.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from registry import load_registry
from registry.dimension import load_institutions
from registry.institutions import InstitutionDirectory, InstitutionHint
from tests.accuracy import CorpusPage, Report, load_corpus, score_corpus
from tests.unit import test_policy_accuracy as tuning
from transforms.contract import parse_document

ROUND3 = Path(__file__).resolve().parent.parent / "files" / "policies_round3"
OTHER_SETS = ("policies", "policies_holdout", "policies_blind")

# Regression bar on the micro-averaged field accuracy. Blind, frozen (parser at 1820ec2),
# r01-r27: 67.4% (1001/1486), row counts right on 17/27 pages; per page in blind_scores.json.
# Measured at 8f1559a, all 29 pages: 93.5% (1284/1373), row counts 29/29. Per-page losses
# fail test_page_scores.py.
ROUND3_THRESHOLD = 0.90

PAGES = load_corpus(ROUND3)
IDS = [p.id for p in PAGES]
GOLD_KEYS = {"policy", "cameras", "stated_total", "institution"}
HOW = {"registry-host", "registry-subdomain", "self-naming", "title-footer"}


@cache
def directory() -> InstitutionDirectory:
    """The institutions a page may be from: the crawl registry and the dimension."""
    return InstitutionDirectory.of(load_registry(), load_institutions())


def parse(page: CorpusPage) -> dict:
    """The page as the pipeline meets it off-registry: the area code is known from the crawl
    target, the institution is not, so the parser has to name it from the URL or the page,
    against the registry and the dimension."""
    return parse_document(
        page.body,
        url=page.meta["url"],
        institution=InstitutionHint(
            area_code=page.institution.get("area_code"), directory=directory()
        ),
    )


@cache
def round3_report() -> Report:
    return score_corpus(parse, PAGES)


def test_parser_accuracy_on_round3() -> None:
    report = round3_report()
    print()
    print(report.table())
    summary = f"round 3 overall {report.overall:.1%} (need {ROUND3_THRESHOLD:.0%})\n"
    assert not report.errors, summary + report.table()
    assert report.overall >= ROUND3_THRESHOLD, summary + report.table()


# ------------------------------------------------------------------ the set itself


def test_round3_set_is_large_new_and_varied() -> None:
    assert len(PAGES) >= 25
    assert [p.id[:3] for p in PAGES] == [f"r{n:02d}" for n in range(1, len(PAGES) + 1)]
    assert len({p.meta["style"] for p in PAGES}) == len(PAGES), "one layout per page"
    others = [q for name in OTHER_SETS for q in load_corpus(ROUND3.parent / name)]
    assert not {p.institution["name"] for p in PAGES} & {q.institution["name"] for q in others}
    assert not {p.meta["url"] for p in PAGES} & {q.meta["url"] for q in others}
    assert len({p.meta["url"] for p in PAGES}) == len(PAGES)


def _tuning_view(page: CorpusPage) -> CorpusPage:
    """The page with only the gold the tuning corpus's own checks know."""
    gold = {"policy": page.gold["policy"], "cameras": page.gold["cameras"]}
    return dataclasses.replace(page, gold=copy.deepcopy(gold))


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_meta_is_complete_and_the_encoding_is_true(page: CorpusPage) -> None:
    tuning.test_meta_is_complete_and_the_encoding_is_true(page)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_gold_follows_the_contract(page: CorpusPage) -> None:
    gold = page.gold
    assert set(gold) == GOLD_KEYS
    tuning.test_gold_follows_the_contract(_tuning_view(page))
    stated = gold["stated_total"]
    assert stated is None or (isinstance(stated, int) and stated > 0)
    assert gold["institution"]["code"] == page.institution["code"]
    assert gold["institution"]["identified_by"] in HOW


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_gold_is_grounded_in_the_page(page: CorpusPage) -> None:
    """The tuning corpus's grounding check, with one addition: a camera row that carries one
    count for a group of places lists them joined by ', ', and each place is on the page."""
    view = _tuning_view(page)
    text = tuning._flat(lxml.html.fromstring(page.body.decode("utf-8")).text_content())
    for cam in view.gold["cameras"]:
        location = cam["location"]
        if location and tuning._flat(location) not in text:
            places = location.split(", ")
            missing = [p for p in places if tuning._flat(p) not in text]
            assert len(places) > 1 and not missing, f"not on the page: {missing or location}"
            cam["location"] = places[0]
    tuning.test_gold_is_grounded_in_the_page(view)
    if page.gold["stated_total"] is not None:
        total = page.gold["stated_total"]
        assert re.search(rf"(?<!\d){total}(?!\d)", text), f"stated total {total} not on the page"
