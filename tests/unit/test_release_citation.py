"""The project's LICENSE and CITATION.cff: the licence pyproject.toml names, a citation file
with every key CFF 1.2.0 requires, and the same version and licence as the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from warehouse.release.licences import PROJECT
from warehouse.release.readme import citation

ROOT = Path(__file__).resolve().parents[2]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def test_licence_is_the_one_pyproject_names() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert pyproject()["license"]["text"] == "MIT" == PROJECT.code_licence
    assert text.startswith("MIT License\n") and f"(c) 2026 {PROJECT.holder}" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_citation_file_is_cff_1_2_0() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):  # required by the CFF 1.2.0 schema
        assert isinstance(cff[key], str | list) and cff[key], key
    assert all(
        isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in cff["authors"]
    )
    assert cff["type"] in ("software", "dataset")
    assert str(cff["version"]) == pyproject()["version"] == PROJECT.version
    assert cff["license"] == pyproject()["license"]["text"]
    assert cff["authors"][0]["name"] == PROJECT.holder


def test_a_release_cites_itself_by_name() -> None:
    line = citation("2026-12-07-0123456789ab")
    assert line.startswith(PROJECT.holder) and "묶음 2026-12-07-0123456789ab" in line
    assert PROJECT.version in line
