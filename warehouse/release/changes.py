"""CHANGES.md: what changed since the previous release, by the comparison `cctv diff`
makes between two crawls (`warehouse.history`), here fed from the two releases' tables:
policies added, changed (field by field, items of 시행령 제25조제1항 added or dropped) and
removed, camera totals and rows, and the national figures that moved.

Both sides are read from their Parquet files with the same code, so a release compares
with any earlier one, made by this version or not, as long as its tables have the columns
the comparison reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.history import (
    POLICY_FIELDS,
    ROW_FIELDS,
    CrawlDiff,
    FieldChange,
    Snapshot,
    add_cameras,
    add_policy,
    diff_snapshots,
)
from warehouse.labels import MISSING, column_label, item_label, value_label
from warehouse.release.facts import national_figures
from warehouse.release.tables import PARQUET_DIR

CHANGES = "CHANGES.md"
_POLICY_COLUMNS = ("inst_code", "source_url", "content_hash", "items_present", *POLICY_FIELDS)
_CAMERA_COLUMNS = ("inst_code", "source_url", "is_template", "row_ref", *ROW_FIELDS)


def _rows(root: Path, table: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return pq.read_table(root / PARQUET_DIR / f"{table}.parquet", columns=list(columns)).to_pylist()


def release_snapshot(root: Path) -> Snapshot:
    """A release's policies and camera rows, as `cctv diff` holds a crawl's."""
    snap = Snapshot()
    for row in _rows(root, "policies", _POLICY_COLUMNS):
        if row["inst_code"]:
            add_policy(snap, row["inst_code"], row["source_url"] or "", row, row["content_hash"])
    for row in _rows(root, "cameras", _CAMERA_COLUMNS):
        if row["inst_code"]:
            add_cameras(snap, row["inst_code"], row["source_url"] or "", [row])
    return snap


def release_figures(root: Path) -> dict[str, int | None]:
    """The national figures of a release, from its Parquet files."""
    con = duckdb.connect()
    try:
        for path in sorted((root / PARQUET_DIR).glob("*.parquet")):
            con.execute(
                f"CREATE VIEW \"{path.stem}\" AS SELECT * FROM read_parquet('{path.as_posix()}')"
            )
        return national_figures(con)
    finally:
        con.close()


def number(value: Any) -> str:
    """A figure as a person reads it: separators, "–" for none."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return value_label("", value)
    if isinstance(value, int):
        return f"{value:,}"
    return value_label("", value)


def _shown(name: str, value: Any) -> str:
    if value is None or value == []:
        return MISSING
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value_label(name, value)


def _field_line(table: str, change: FieldChange) -> str:
    label = column_label(table, change.field)
    return f"{label} {_shown(change.field, change.before)} → {_shown(change.field, change.after)}"


def _institution_lines(diff: CrawlDiff, inst: str) -> list[str]:
    lines = []
    if inst in diff.policies_added:
        lines.append("- 방침이 새로 생김")
    elif inst in diff.policies_removed:
        lines.append("- 방침이 없어짐")
    for p in (p for p in diff.policies if p.inst_code == inst):
        where = f"- 방침 `{p.policy}`"
        if p.change != "changed":
            lines.append(f"{where}: {'새로 생김' if p.change == 'added' else '없어짐'}")
            continue
        lines += [f"{where}: {_field_line('policies', c)}" for c in p.fields]
        lines += [f"{where}: {item_label(i, short=True)} 추가" for i in p.items_added]
        lines += [f"{where}: {item_label(i, short=True)} 빠짐" for i in p.items_dropped]
        if p.text_changed and not (p.fields or p.items_added or p.items_dropped):
            lines.append(f"{where}: 본문만 바뀜 (필드 변화 없음)")
    if inst in diff.camera_totals:
        old, new = diff.camera_totals[inst]
        lines.append(f"- 카메라 대수 합계: {number(old)} → {number(new)}")
    kinds = {"changed": "바뀜", "added": "추가", "removed": "삭제"}
    for r in (r for r in diff.rows if r.inst_code == inst):
        what = "; ".join(_field_line("cameras", c) for c in r.fields)
        where = f" ({r.row_ref})" if r.row_ref else ""
        lines.append(
            f"- 설치 현황 행 {kinds[r.change]}: {r.key}{where}" + (f": {what}" if what else "")
        )
    return lines


def _codes(codes: list[str], names: dict[str, str]) -> str:
    return ", ".join(f"{c} {names.get(c, '')}".rstrip() for c in codes) or MISSING


def changes_markdown(
    release: str,
    root: Path,
    previous: Path | None,
    names: dict[str, str],
) -> str:
    """CHANGES.md of the release at `root` against the release at `previous` (None: the
    first release, which says so)."""
    out = [f"# 바뀐 점: {release}", ""]
    if previous is None:
        out += ["이전 묶음이 없습니다. 이 묶음이 첫 공개본입니다.", ""]
        return "\n".join(out)
    try:
        before = release_snapshot(previous)
        before_figures = release_figures(previous)
    except (OSError, KeyError, pa.ArrowException, duckdb.Error) as exc:
        # A damaged or much older release cannot stop this one: say why there is no list.
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        out += [f"이전 묶음 `{previous.name}`의 표를 읽을 수 없어 비교하지 못했습니다: {why}", ""]
        return "\n".join(out)
    diff = diff_snapshots(before, release_snapshot(root), previous.name, release)
    out += [f"비교한 이전 묶음: `{previous.name}`", "", "## 방침", ""]
    out += [
        f"- 방침이 새로 생긴 기관 {len(diff.policies_added):,}곳: "
        f"{_codes(diff.policies_added, names)}",
        f"- 방침이 없어진 기관 {len(diff.policies_removed):,}곳: "
        f"{_codes(diff.policies_removed, names)}",
        f"- 방침이 바뀐 기관 {len(diff.policies_changed):,}곳: "
        f"{_codes(diff.policies_changed, names)}",
        "",
    ]
    counts = {k: sum(r.change == k for r in diff.rows) for k in ("changed", "added", "removed")}
    out.append(
        f"설치 현황 행: 바뀜 {counts['changed']:,}, 추가 {counts['added']:,}, "
        f"삭제 {counts['removed']:,}."
    )
    for inst in diff.institutions():
        out += ["", f"### {inst} {names.get(inst, '')}".rstrip(), ""]
        out += _institution_lines(diff, inst) or ["- 바뀐 필드 없음"]
    before, after = before_figures, release_figures(root)
    moved = [k for k in after if before.get(k) != after[k]]
    out += ["", "## 전국 수치", ""]
    if not moved:
        out.append("움직인 전국 수치가 없습니다.")
    else:
        out += ["| 항목 | 이전 | 이번 | 변화 |", "|---|---:|---:|---:|"]
        for key in moved:
            old, new = before.get(key), after[key]
            delta = f"{new - old:+,}" if old is not None and new is not None else MISSING
            out.append(f"| {key} | {number(old)} | {number(new)} | {delta} |")
    out.append("")
    return "\n".join(out)
