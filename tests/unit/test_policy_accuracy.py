"""How well `parse_document` reads policy pages it was not written against.

The corpus (tests/files/policies, see its README) holds hand-made pages in many markup
styles, each with a gold record written by reading the page. The parser is scored field by
field against that gold; `pytest -s` prints the score table. The other tests keep the corpus
itself honest: well-formed meta, gold that follows the contract, and gold whose text really
is on its page. The scorer is tested on its own so a lenient scorer cannot pass a bad parser.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from functools import cache
from urllib.parse import urljoin

import lxml.html
import pytest

from registry.institutions import InstitutionHint
from tests.accuracy import (
    CAMERA_FIELDS,
    POLICY_FIELDS,
    CorpusPage,
    Report,
    load_corpus,
    score,
    score_corpus,
)
from transforms.contract import parse_document

# Micro-averaged field accuracy the parser must reach over the whole corpus. Measured at
# 99.8% (1958/1962) when the parser was generalised against this corpus, which makes it a
# development set: the blind figure is the held-out set's (test_policy_holdout.py).
THRESHOLD = 0.97
# Share of pages whose number of camera rows equals the gold (totals, 소계 and example
# rows handled right, no chrome tables read as inventory). Measured: 34/34.
ROW_COUNT_THRESHOLD = 0.97

PAGES = load_corpus()
IDS = [p.id for p in PAGES]

PURPOSES = {
    "시설물관리",
    "생활방범",
    "어린이보호",
    "교통단속",
    "교통정보수집",
    "쓰레기단속",
    "재난재해",
    "차량방범",
    "다목적",
    "기타",
}
ROLES = {"보호책임자", "관리책임자", "접근권한자", "담당자"}
HOURS = {"24h", "scheduled", "none", None}
KINDS = {"xlsx", "xls", "csv", "hwp", "hwpx", "pdf", "unknown"}
PHONE = re.compile(r"^(0\d{1,2}-\d{3,4}-\d{4}|1\d{3}-\d{4})$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse(page: CorpusPage) -> dict:
    inst = page.institution
    return parse_document(
        page.body,
        url=page.meta["url"],
        institution=InstitutionHint(
            code=inst.get("code"), name=inst.get("name"), area_code=inst.get("area_code")
        ),
    )


@cache
def corpus_report() -> Report:
    return score_corpus(parse, PAGES)


def test_parser_accuracy_on_the_corpus() -> None:
    report = corpus_report()
    print()
    print(report.table())
    summary = (
        f"overall {report.overall:.1%} (need {THRESHOLD:.0%}), row counts "
        f"{report.row_count_accuracy:.1%} (need {ROW_COUNT_THRESHOLD:.0%})\n{report.table()}"
    )
    assert not report.errors, summary
    assert report.overall >= THRESHOLD, summary
    assert report.row_count_accuracy >= ROW_COUNT_THRESHOLD, summary


# ------------------------------------------------------------------ the corpus itself


def test_corpus_is_large_and_varied() -> None:
    assert len(PAGES) >= 30
    assert len({p.meta["style"] for p in PAGES}) >= 8
    assert sum(len(p.gold["cameras"]) for p in PAGES) >= 100


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_meta_is_complete_and_the_encoding_is_true(page: CorpusPage) -> None:
    meta = page.meta
    assert set(meta) == {"style", "modelled_on", "institution", "url", "encoding"}
    assert re.fullmatch(r"\d{7}", meta["institution"]["code"])
    assert re.fullmatch(r"0\d{1,2}", meta["institution"]["area_code"])
    assert meta["institution"]["name"]
    assert re.match(r"https?://[a-z0-9.-]+/", meta["url"])
    assert meta["encoding"] in {"utf-8", "euc-kr"}
    text = page.body.decode(meta["encoding"])  # strict: the bytes are what meta says
    assert text.lstrip().lower().startswith("<!doctype")
    assert re.search(rf"charset=\"?{meta['encoding']}", text[:2000], re.IGNORECASE)


def _walk(value: object) -> list[object]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _walk(v)]
    if isinstance(value, list):
        return [x for v in value for x in _walk(v)]
    return [value]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_gold_follows_the_contract(page: CorpusPage) -> None:
    gold = page.gold
    assert set(gold) == {"policy", "cameras"}
    assert "" not in _walk(gold), "unknown is null, never an empty string"
    policy = gold["policy"]
    assert tuple(policy) == POLICY_FIELDS
    assert policy["device_scope"] in {"fixed", "mobile", "both"}
    assert policy["items_present"] == sorted(set(policy["items_present"]))
    assert set(policy["items_present"]) <= set(range(1, 9))
    assert policy["recording_hours"] in HOURS
    for key in ("enacted_on", "revised_on"):
        assert policy[key] is None or DATE.match(policy[key])
    storage = policy["storage_locations"]
    assert len(storage) == len(set(storage))
    for person in policy["contacts"]:
        assert set(person) == {"role", "name", "title", "department", "phone"}
        assert person["role"] in ROLES
        assert person["phone"] is None or PHONE.match(person["phone"])
    for firm in policy["contractors"]:
        assert set(firm) == {"name", "phone"} and firm["name"]
        assert firm["phone"] is None or PHONE.match(firm["phone"])
    for link in policy["attachments"]:
        assert set(link) == {"url", "text", "kind"} and link["kind"] in KINDS
        assert link["url"].startswith(("http://", "https://"))

    cameras = gold["cameras"]
    days = []
    for cam in cameras:
        assert tuple(cam) == CAMERA_FIELDS
        assert cam["purpose"] in PURPOSES | {None}
        assert cam["recording_hours"] in HOURS
        assert cam["device_type"] in {"fixed", "mobile"}
        assert isinstance(cam["recording"], bool) and isinstance(cam["is_template"], bool)
        assert cam["phone"] is None or PHONE.match(cam["phone"])
        assert (cam["retention_days"] == 0) == (cam["recording"] is False)
        if cam["retention_days"] is None:
            assert cam["recording"] is True
        if cam["is_template"]:
            assert cam["camera_count"] is None and cam["retention_days"] is None
        else:
            assert isinstance(cam["camera_count"], int) and cam["camera_count"] > 0
            assert cam["storage_location"] is None or cam["storage_location"] in storage
            if cam["retention_days"] is not None:
                days.append(cam["retention_days"])
    assert policy["is_template"] == (bool(cameras) and all(c["is_template"] for c in cameras))
    if days and policy["retention_days_max"] is not None:
        assert policy["retention_days_max"] >= max(days)
    nonzero = [d for d in days if d]
    if nonzero and policy["retention_days_min"] is not None:
        assert policy["retention_days_min"] <= min(nonzero)


def _flat(text: str) -> str:
    """Page text for substring checks: compatibility forms, one middle dot, no spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u00b7\u2024\u2027\u30fb\u318d\u2022\uff65]", "·", text)
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_gold_is_grounded_in_the_page(page: CorpusPage) -> None:
    """Every text the gold quotes is on the page, and every link it lists is a real href:
    a typo in gold would otherwise be charged to the parser."""
    root = lxml.html.fromstring(page.body.decode(page.meta["encoding"]))
    text = _flat(root.text_content())
    policy, cameras = page.gold["policy"], page.gold["cameras"]
    quoted = [policy["title"], *policy["storage_locations"]]
    quoted += [c["name"] for c in policy["contractors"]]
    for person in policy["contacts"]:
        quoted += [person["name"], person["title"], person["department"]]
    quoted += [a["text"] for a in policy["attachments"]]
    for cam in cameras:
        quoted += [cam[k] for k in ("unit", "purpose_raw", "location", "retention_raw")]
        quoted.append(cam["storage_location"])
    missing = [q for q in quoted if q is not None and _flat(q) not in text]
    assert not missing, f"not on the page: {missing}"

    numbers = [c["camera_count"] for c in cameras if c["camera_count"] is not None]
    absent = [n for n in numbers if f"{n:,}" not in text and str(n) not in text]
    assert not absent, f"counts not on the page: {absent}"

    phones = [p["phone"] for p in policy["contacts"] + policy["contractors"]]
    phones += [c["phone"] for c in cameras]
    local = [p for p in phones if p and p.split("-", 1)[-1] not in text]
    assert not local, f"phones not on the page: {local}"

    hrefs = {urljoin(page.meta["url"], h) for h in root.xpath("//a/@href")}
    unknown = [a["url"] for a in policy["attachments"] if a["url"] not in hrefs]
    assert not unknown, f"attachment urls that are no href on the page: {unknown}"


# ------------------------------------------------------------------ the scorer


def _sample() -> dict:
    return copy.deepcopy(next(p.gold for p in PAGES if len(p.gold["cameras"]) >= 5))


def test_scorer_gives_identical_input_full_marks() -> None:
    report = score([(p.id, p.gold, copy.deepcopy(p.gold)) for p in PAGES])
    assert report.overall == 1.0
    assert report.row_count_accuracy == 1.0
    assert report.failures == []
    assert "100.0%" in report.table()


def test_scorer_counts_wrong_values_and_missing_rows() -> None:
    gold = _sample()
    parsed = copy.deepcopy(gold)
    parsed["policy"]["retention_days_max"] = 999
    parsed["policy"]["items_present"] = list(reversed(parsed["policy"]["items_present"]))
    parsed["cameras"][0]["camera_count"] = (parsed["cameras"][0]["camera_count"] or 0) + 1
    parsed["cameras"][1]["recording"] = 1  # truthy is not True
    del parsed["cameras"][3]
    report = score([("sample", gold, parsed)])
    assert report.overall < 1.0
    assert report.row_count_accuracy == 0.0
    by_field = report.by_field
    assert by_field["policy.retention_days_max"].correct == 0
    assert by_field["policy.items_present"].correct == 1, "a list compared as a set"
    assert by_field["camera.recording"].correct == len(gold["cameras"]) - 2
    # the dropped row costs every camera field once, and only once
    missing = [f for f in report.failures if f.got == "<no such row>"]
    assert len(missing) == len(CAMERA_FIELDS)
    assert by_field["camera.location"].correct == len(gold["cameras"]) - 1
    assert report.by_page["sample"] == report.overall


def test_scorer_survives_an_empty_parse() -> None:
    gold = _sample()
    report = score([("empty", gold, {}), ("none", gold, {"policy": None, "cameras": None})])
    assert report.overall < 0.5
    assert report.by_field["camera.unit"].correct == 0
