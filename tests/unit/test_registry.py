from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from registry import COLUMNS, RegistryError, crawlable, load_registry

SEEDS = {"5060000": "김천시", "6110000": "서울특별시", "3510500": "미추홀구", "4671000": "군산시"}


def test_bundled_registry_loads_every_row_of_both_eras() -> None:
    rows = load_registry()
    assert len(rows) == 310  # every 광역 and 기초, both sides of 2026-07-01, older codes
    institutions = {i.inst_code: i for i in rows}
    assert {code: institutions[code].short_name for code in SEEDS} == SEEDS
    today = crawlable(rows, dt.date(2026, 11, 25))
    assert len(today) == 243
    assert {i.level for i in today} == {"sido", "si", "gun", "gu"}
    assert len([i for i in today if i.level == "sido"]) == 16
    before = crawlable(rows, dt.date(2026, 6, 30))
    assert len(before) == 243 and "6290000" in {i.inst_code for i in before}  # 광주광역시
    assert institutions["3510500"].parent_code == "6280000"
    assert institutions["6110000"].sido_code == "6110000"
    assert institutions["5060000"].homepage == "https://www.gimcheon.go.kr"


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "registry.csv"
    path.write_text(",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


GOOD = "5060000,경상북도 김천시,김천시,si,6470000,https://www.gimcheon.go.kr,,,"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("506000,경상북도 김천시,김천시,si,6470000,https://x.go.kr,,,", "7-digit"),
        ("5060000,,김천시,si,6470000,https://x.go.kr,,,", "name is empty"),
        ("5060000,경상북도 김천시,김천시,city,6470000,https://x.go.kr,,,", "level"),
        ("5060000,경상북도 김천시,김천시,si,,https://x.go.kr,,,", "needs a parent_code"),
        ("5060000,경상북도 김천시,김천시,si,6470000,www.gimcheon.go.kr,,,", "homepage"),
        ("5060000,경상북도 김천시,김천시,si,6470000,,,,", "homepage is empty"),
        ("5060000,경상북도 김천시,김천시,si,6470000,https://x.go.kr,2024-13-01,,", "valid_from"),
        (
            "5060000,경상북도 김천시,김천시,si,6470000,https://x.go.kr,2024-01-02,2023-01-01,",
            "before valid_from",
        ),
    ],
)
def test_a_bad_row_is_an_error_naming_its_line(tmp_path: Path, row: str, message: str) -> None:
    path = _write(tmp_path, GOOD.replace("5060000", "5080000"), row)
    with pytest.raises(RegistryError, match=message) as err:
        load_registry(path)
    assert f"{path}:3" in str(err.value)


def test_a_repeated_code_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="repeats line 2"):
        load_registry(_write(tmp_path, GOOD, GOOD))


def test_a_missing_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("inst_code,name\n5060000,김천시\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="missing columns"):
        load_registry(path)


def test_overrides_are_read_and_checked(tmp_path: Path) -> None:
    header = ",".join(COLUMNS) + ",policy_url,link_text,cms_family,enabled,notes\n"
    path = tmp_path / "registry.csv"
    path.write_text(
        header + GOOD + ",https://x.go.kr/cctv.do,CCTV 방침,egov,no,테스트\n", encoding="utf-8"
    )
    [inst] = load_registry(path)
    assert (inst.policy_url, inst.link_text, inst.cms_family, inst.enabled) == (
        "https://x.go.kr/cctv.do",
        "CCTV 방침",
        "egov",
        False,
    )
    assert crawlable([inst]) == []
    path.write_text(header + GOOD + ",ftp://x,,,,\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="policy_url"):
        load_registry(path)


def test_network_local_is_the_only_way_to_a_local_address(tmp_path: Path) -> None:
    """Only a row that says `network = local` lets the crawler connect to a loopback or
    private address (crawler/egress.py); the bundled registry has no such row."""
    from crawler.egress import local_netlocs

    header = ",".join(COLUMNS) + ",network\n"
    path = tmp_path / "registry.csv"
    local = GOOD.replace("https://www.gimcheon.go.kr", "http://127.0.0.1:8080")
    path.write_text(header + local + ",LOCAL\n", encoding="utf-8")
    [inst] = load_registry(path)
    assert inst.network == "local"
    assert local_netlocs([inst]) == ["127.0.0.1:8080"]
    path.write_text(header + local + ",\n", encoding="utf-8")
    assert local_netlocs(load_registry(path)) == []
    path.write_text(header + local + ",intranet\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="network 'intranet' is not empty or local"):
        load_registry(path)
    assert not [i for i in load_registry() if i.network]


def test_render_js_is_read_and_checked(tmp_path: Path) -> None:
    """`render = js` marks a site whose pages only a browser can read (crawler/render.py);
    any other value is refused, and the bundled registry renders no site."""
    header = ",".join(COLUMNS) + ",render\n"
    path = tmp_path / "registry.csv"
    path.write_text(header + GOOD + ",JS\n", encoding="utf-8")
    [inst] = load_registry(path)
    assert inst.render == "js"
    path.write_text(header + GOOD + ",\n", encoding="utf-8")
    assert load_registry(path)[0].render is None
    path.write_text(header + GOOD + ",chrome\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="render 'chrome' is not empty or js") as err:
        load_registry(path)
    assert f"{path}:2" in str(err.value)
    assert not [i for i in load_registry() if i.render]


def test_a_refresh_keeps_the_render_column(tmp_path: Path) -> None:
    """The registry is rewritten from the reference list with every override column, the
    new `render` among them, and a filled-in value survives the rewrite."""
    from registry import OVERRIDE_COLUMNS
    from registry.refresh import refresh

    assert "render" in OVERRIDE_COLUMNS
    reference = tmp_path / "reference.csv"
    reference.write_text(",".join(COLUMNS) + "\n" + GOOD + "\n", encoding="utf-8")
    registry = tmp_path / "institutions.csv"
    registry.write_text(
        ",".join(COLUMNS) + ",render,notes\n" + GOOD + ",js,script-built pages\n",
        encoding="utf-8",
    )
    assert refresh(reference, registry) == 1
    header = registry.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [*COLUMNS, *OVERRIDE_COLUMNS]
    [inst] = load_registry(registry)
    assert (inst.render, inst.notes) == ("js", "script-built pages")
