"""The institution registry: who is crawled, keyed by the 7-digit 행정표준코드 기관코드.

Rows are checked on load, because a wrong code or homepage silently sends the crawl
elsewhere; a bad row is an error that names its line.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from registry.institutions import Institutional

REGISTRY_CSV = Path(__file__).with_name("institutions.csv")
COLUMNS = (
    "inst_code",
    "name",
    "short_name",
    "level",
    "parent_code",
    "homepage",
    "valid_from",
    "valid_to",
    "successor_code",
)
# Per-institution overrides for the odd site; empty for most rows.
OVERRIDE_COLUMNS = (
    "policy_url",
    "link_text",
    "cms_family",
    "tls",
    "network",
    "render",
    "enabled",
    "notes",
)
TLS_MODES = ("", "legacy")  # legacy: TLS 1.0+ and old ciphers, still verified (crawler/tls.py)
# local: the site lives on a loopback or private network (the sample web, test servers), so
# the crawler may connect there; every other site must be on public addresses
# (crawler/egress.py).
NETWORKS = ("", "local")
# js: the site builds its pages by script, so each page discovery reads there is also
# rendered by a headless browser and read as rendered (crawler/render.py).
RENDER_MODES = ("", "js")
LEVELS = ("sido", "si", "gun", "gu", "other")
_CODE = re.compile(r"^\d{7}$")


class RegistryError(ValueError):
    """A registry row that cannot be trusted; the message names file and line."""


@dataclass(frozen=True)
class Institution(Institutional):
    inst_code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    homepage: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor_code: str | None = None
    policy_url: str | None = None  # skip discovery: the policy page is known
    link_text: str | None = None  # the site's own wording of the policy link
    cms_family: str | None = None
    tls: str | None = None  # "legacy" for a server that only speaks old TLS
    network: str | None = None  # "local" for a site on a loopback or private address
    render: str | None = None  # "js" for a site whose pages only a browser can read
    enabled: bool = True
    notes: str | None = None

    @property
    def sido_code(self) -> str:
        """The 광역 this institution belongs to (itself for a 광역)."""
        return self.inst_code if self.level == "sido" else (self.parent_code or self.inst_code)


def iso_date(
    value: str, column: str, where: str, error: type[ValueError] = RegistryError
) -> dt.date | None:
    """An optional YYYY-MM-DD cell of an institution CSV; `error` names file and line."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise error(f"{where}: {column} {value!r} is not a YYYY-MM-DD date") from None


def _url(value: str, column: str, where: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RegistryError(f"{where}: {column} {value!r} is not an http(s) URL")
    return value.rstrip("/")


def _row(raw: dict[str, str], where: str) -> Institution:
    values = {k: (raw.get(k) or "").strip() for k in COLUMNS + OVERRIDE_COLUMNS}
    code = values["inst_code"]
    if not _CODE.match(code):
        raise RegistryError(f"{where}: inst_code {code!r} is not a 7-digit 기관코드")
    if not values["name"]:
        raise RegistryError(f"{where}: name is empty")
    if values["level"] not in LEVELS:
        raise RegistryError(f"{where}: level {values['level']!r} is not one of {', '.join(LEVELS)}")
    parent = values["parent_code"] or None
    if parent is not None and not _CODE.match(parent):
        raise RegistryError(f"{where}: parent_code {parent!r} is not a 7-digit 기관코드")
    if values["level"] != "sido" and parent is None:
        raise RegistryError(f"{where}: a {values['level']} needs a parent_code")
    valid_from = iso_date(values["valid_from"], "valid_from", where)
    valid_to = iso_date(values["valid_to"], "valid_to", where)
    if valid_from and valid_to and valid_to < valid_from:
        raise RegistryError(f"{where}: valid_to is before valid_from")
    homepage = _url(values["homepage"], "homepage", where)
    if homepage is None and valid_to is None:  # only a code that has ended may lack one
        raise RegistryError(f"{where}: homepage is empty for an institution still in office")
    if values["tls"].lower() not in TLS_MODES:
        raise RegistryError(f"{where}: tls {values['tls']!r} is not empty or legacy")
    if values["network"].lower() not in NETWORKS:
        raise RegistryError(f"{where}: network {values['network']!r} is not empty or local")
    if values["render"].lower() not in RENDER_MODES:
        raise RegistryError(f"{where}: render {values['render']!r} is not empty or js")
    enabled = values["enabled"].lower()
    if enabled not in ("", "yes", "no", "true", "false", "1", "0"):
        raise RegistryError(f"{where}: enabled {values['enabled']!r} is not yes or no")
    return Institution(
        inst_code=code,
        name=values["name"],
        short_name=values["short_name"] or values["name"].split()[-1],
        level=values["level"],
        parent_code=parent,
        homepage=homepage or "",
        valid_from=valid_from,
        valid_to=valid_to,
        successor_code=values["successor_code"] or None,
        policy_url=_url(values["policy_url"], "policy_url", where),
        link_text=values["link_text"] or None,
        cms_family=values["cms_family"] or None,
        tls=values["tls"].lower() or None,
        network=values["network"].lower() or None,
        render=values["render"].lower() or None,
        enabled=enabled not in ("no", "false", "0"),
        notes=values["notes"] or None,
    )


def read_rows(path: Path, columns: tuple[str, ...], parse_row, error: type[ValueError]) -> list:
    """Rows of a checked institution CSV: every column present, each row parsed by
    `parse_row(raw, "file:line")`, and no (inst_code, valid_from) twice. Shared by the
    crawl registry and the institution dimension, whose rules differ only per row."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise error(f"{path}: missing columns {', '.join(missing)}")
        rows = [parse_row(raw, f"{path}:{line}") for line, raw in enumerate(reader, start=2)]
    seen: dict[tuple[str, dt.date | None], int] = {}
    for line, row in enumerate(rows, start=2):
        key = (row.inst_code, row.valid_from)
        if key in seen:
            raise error(f"{path}:{line}: inst_code {row.inst_code} repeats line {seen[key]}")
        seen[key] = line
    return rows


def load_registry(path: Path | str = REGISTRY_CSV) -> list[Institution]:
    """Read and check the registry; raises RegistryError naming the first bad row."""
    return read_rows(Path(path), COLUMNS, _row, RegistryError)


def crawlable(institutions: list[Institution], day: dt.date | None = None) -> list[Institution]:
    """The institutions a crawl visits: in office on `day` (default today), enabled, with
    a homepage or a known policy URL."""
    day = day or dt.date.today()
    return [
        i for i in institutions if i.enabled and i.valid_on(day) and (i.homepage or i.policy_url)
    ]


def legacy_tls_hosts(institutions: list[Institution]) -> list[str]:
    """host[:port] of every site the registry allows old TLS for."""
    hosts = set()
    for inst in institutions:
        if inst.tls == "legacy":
            hosts.update(urlsplit(u).netloc for u in (inst.homepage, inst.policy_url) if u)
    return sorted(hosts)


def by_code(institutions: list[Institution]) -> dict[str, Institution]:
    return {inst.inst_code: inst for inst in institutions}
