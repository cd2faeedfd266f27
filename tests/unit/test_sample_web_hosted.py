"""Which institutions the sample web serves, read from its routes without a server: what
`cctv crawl --sample -i` checks a code against."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from crawler.sample_web.hosted import on_sample_web, sample_homepages
from registry import load_registry
from registry.lookup import dimension_institutions, document_institutions


def test_the_bundled_sites_homepages_normalised() -> None:
    assert sample_homepages() == {
        "https://www.gimcheon.go.kr",
        "https://www.gunsan.go.kr",
        "https://www.michuhol.go.kr",
        "https://www.seoul.go.kr",
    }


def test_registry_institutions_on_the_sample_web_in_registry_order() -> None:
    registry = load_registry()
    served = on_sample_web(registry)
    assert [i.homepage.rstrip("/").lower() for i in served] == [
        i.homepage.rstrip("/").lower()
        for i in registry
        if i.homepage and i.homepage.rstrip("/").lower() in sample_homepages()
    ]
    assert {i.name for i in served} >= {"서울특별시", "인천광역시 미추홀구"}


def test_a_homepage_matches_whatever_its_case_or_trailing_slash(tmp_path: Path) -> None:
    site = tmp_path / "www.x.go.kr"
    site.mkdir()
    (site / "routes.json").write_text(
        json.dumps({"homepage": "https://WWW.X.go.kr/", "routes": {}}), encoding="utf-8"
    )
    seoul = next(i for i in load_registry() if i.name == "서울특별시")
    moved = dataclasses.replace(seoul, homepage="https://www.x.go.kr")
    ended = dataclasses.replace(seoul, homepage=None)
    assert on_sample_web([seoul, moved, ended], tmp_path) == [moved]


def test_a_document_can_belong_to_the_dimension_or_the_registry() -> None:
    known = {k.code: k for k in document_institutions()}
    registry = {i.inst_code: i for i in load_registry()}
    assert set(registry) <= set(known)
    assert {k.code for k in dimension_institutions()} <= set(known)
    code = next(iter(registry))
    assert known[code].name == registry[code].name  # the registry's own name wins
