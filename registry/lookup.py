"""Institution codes typed by a person: the code itself, or a name that names exactly one
institution; anything else is an error that suggests the closest codes and names."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_CODE_LIKE = re.compile(r"^[\d\s-]+$")
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Known:
    """One institution a command accepts: its code, names, and other codes that mean it
    (the 5-digit 시군구 code of the standard data), which are suggested, never assumed."""

    code: str
    name: str
    short_name: str | None = None
    aliases: tuple[str, ...] = ()
    current: bool = True

    def label(self, via: str | None = None) -> str:
        alias = f" (시군구 코드 {via})" if via and via != self.code else ""
        return f"{self.code} {self.name}{alias}"


class UnknownInstitution(ValueError):
    """A value that is no known code and names no single institution; one line."""


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _code_suggestions(value: str, known: list[Known]) -> list[str]:
    digits = re.sub(r"\D", "", value)
    keys: dict[str, tuple[Known, str]] = {}
    for inst in known:
        for key in (inst.code, *inst.aliases):
            keys.setdefault(key, (inst, key))
    if digits in keys:  # a 시군구 code, or the code written with spaces or dashes
        return _labels([keys[digits]])
    prefixed = [keys[k] for k in sorted(keys) if len(digits) >= 3 and k.startswith(digits)]
    close = [keys[k] for k in _closest(digits, list(keys), cutoff=0.75)]
    return _labels([*close, *prefixed])


def _closest(value: str, keys: list[str], cutoff: float) -> list[str]:
    """The keys most like `value` (difflib ratio at least `cutoff`), keeping only those
    about as close as the best one, so that one clear match is not padded with noise."""
    scored = []
    for key in keys:
        matcher = difflib.SequenceMatcher(None, value, key)
        if matcher.real_quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            scored.append((matcher.ratio(), key))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [key for ratio, key in scored if ratio >= scored[0][0] - 0.05]


def _name_suggestions(value: str, known: list[Known]) -> list[str]:
    wanted = value.replace(" ", "")
    names: dict[str, Known] = {}
    for inst in known:
        for name in (inst.name, inst.short_name):
            if name:
                names.setdefault(name.replace(" ", ""), inst)
    contained = [
        (names[n], None) for n in sorted(names, key=len) if wanted and (wanted in n or n in wanted)
    ]
    close = [(names[n], None) for n in _closest(wanted, list(names), cutoff=0.6)]
    return _labels([*close, *contained])


def _labels(matches: Iterable[tuple[Known, str | None]]) -> list[str]:
    seen: set[str] = set()
    labels = []
    for inst, via in matches:
        if inst.code in seen:
            continue
        seen.add(inst.code)
        labels.append(inst.label(via))
    return labels[:MAX_SUGGESTIONS]


def suggest(value: str, known: list[Known]) -> list[str]:
    """Up to three "CODE NAME" labels close to what was typed, best first."""
    if _CODE_LIKE.match(value.strip()):
        return _code_suggestions(value.strip(), known)
    return _name_suggestions(value.strip(), known)


def resolve(value: str, known: list[Known], where: str) -> str:
    """The code `value` means: a known code, or a name (full or short) of exactly one
    institution, preferring one in office. `where` names the list, for the message."""
    value = value.strip()
    by_code = {inst.code: inst for inst in known}
    if value in by_code:
        return value
    if not _CODE_LIKE.match(value):
        wanted = value.replace(" ", "")
        named = [
            i
            for i in known
            if wanted in (i.name.replace(" ", ""), (i.short_name or "").replace(" ", ""))
        ]
        if len(named) > 1 and any(i.current for i in named):
            named = [i for i in named if i.current]
        if len(named) == 1:
            return named[0].code
        if named:
            labels = ", ".join(i.label() for i in named[:6])
            raise UnknownInstitution(
                f"{value!r} names {len(named)} institutions ({labels}); give the code"
            )
    suggestions = suggest(value, known)
    if suggestions:
        hint = f"did you mean {_join(suggestions)}?"
    else:
        hint = f"none of the {len(known)} institutions in {where} is close"
    what = "institution code" if _CODE_LIKE.match(value) else "institution"
    raise UnknownInstitution(f"unknown {what} {value!r}; {hint}")


def resolve_all(values: Iterable[str], known: list[Known], where: str) -> list[str]:
    """Every value resolved (in order, without repeats); the first bad one raises."""
    codes: list[str] = []
    for value in values:
        code = resolve(value, known, where)
        if code not in codes:
            codes.append(code)
    return codes


def _sigungu_codes() -> dict[str, str]:
    """inst_code → the 5-digit 시군구 code the standard data uses, from the dimension."""
    from registry.dimension import load_institutions

    return {row.inst_code: row.sigungu_code5 for row in load_institutions() if row.sigungu_code5}


def registry_institutions(registry_path: Path | None = None) -> list[Known]:
    """The crawl registry's institutions, with the dimension's 5-digit 시군구 codes."""
    from registry import REGISTRY_CSV, load_registry

    today = dt.date.today()
    code5 = _sigungu_codes()
    return [
        Known(
            i.inst_code,
            i.name,
            i.short_name,
            (code5[i.inst_code],) if i.inst_code in code5 else (),
            i.valid_on(today),
        )
        for i in load_registry(registry_path or REGISTRY_CSV)
    ]


def dimension_institutions() -> list[Known]:
    """Every 지방자치단체 of the institution dimension (both eras, renamed codes too)."""
    from registry.dimension import load_institutions

    today = dt.date.today()
    return [
        Known(
            row.inst_code,
            row.name,
            row.short_name,
            (row.sigungu_code5,) if row.sigungu_code5 else (),
            row.valid_on(today),
        )
        for row in load_institutions()
    ]


def document_institutions(registry_path: Path | None = None) -> list[Known]:
    """Every code a document can belong to: the dimension's institutions, and the crawl
    registry's, whose names and short names win where both know a code."""
    known = {k.code: k for k in dimension_institutions()}
    known.update({k.code: k for k in registry_institutions(registry_path)})
    return list(known.values())


def warehouse_institutions(duckdb_path: Path) -> list[Known]:
    """The warehouse's `institutions` table (what a report can compare)."""
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        rows = con.execute(
            "SELECT inst_code, name, short_name, "
            "valid_to IS NULL OR valid_to >= current_date FROM institutions ORDER BY inst_code"
        ).fetchall()
    finally:
        con.close()
    code5 = _sigungu_codes()
    return [
        Known(code, name, short, (code5[code],) if code in code5 else (), bool(current))
        for code, name, short, current in rows
    ]
