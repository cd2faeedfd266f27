"""Is a page's parse time linear in its size? Seconds per MB of `cctv parse`'s code path on
a 4 MB page against sixteen 0.25 MB pages of the same markup, in the same run.

Shapes: a long table, many paragraphs, `<br>` prose, nesting 100 deep, definition lists,
thousands of dropped elements (scripts and form controls between the text), page chrome
(banners by class), and one page mixing them all. Before the fix, pages with many dropped
elements were quadratic (0.25/0.5/1/2 MB: 3.7/16/63/238 s). Spans that multiply cells are
shown apart: their cost is bounded per page (transforms.html.tables.MAX_CELLS), not per
byte, so a small page pays it whole. Target: the mixed page's ratio (seconds per MB at
4 MB over seconds per MB at 0.25 MB) within 1.3, i.e. linear. The figures also check the
page size cap (transforms.contract.MAX_PAGE_BYTES): the slowest shape's seconds per MB at
4 MB times the cap is what the largest accepted page costs, and one page of `--page-mb`
(15 MB unless told; 0 leaves it out) of `--page-shape` is parsed whole and its CPU seconds
printed (target: under 10 s). `--tree DIR` times the code of another checkout of the
project (an earlier revision) on the same pages. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._result import print_result
from benchmarks._timing import interleaved

PROJECT = Path(__file__).resolve().parent.parent
PAGE_SECONDS_TARGET = 10.0

TARGET_RATIO = 1.3
SMALL, LARGE = 256 * 1024, 4 * 1024 * 1024
HEAD = (
    "<html><head><title>영상정보처리기기 운영·관리 방침</title></head><body>"
    "<h3>영상정보처리기기 운영·관리 방침</h3>"
)
TABLE_HEAD = "<table><tr><th>담당부서</th><th>설치목적</th><th>설치대수</th><th>보관기간</th></tr>"

UNITS: dict[str, Callable[[int], str]] = {
    "table": lambda i: f"<tr><td>{i}과</td><td>생활방범</td><td>{i % 40}대</td><td>30일</td></tr>",
    "paragraphs": lambda i: f"<p>{i}. 보관기간 : 촬영일로부터 30일, 설치목적 범죄 예방</p>",
    "br": lambda i: f"{i}. 보관기간 : 촬영일로부터 30일<br>",
    "nesting": lambda i: f"<div><span>관리책임자 {i}</span>" if i % 100 else "</div>" * 99,
    "definitions": lambda i: f"<dl><dt>보관기간</dt><dd>{i % 90}일</dd></dl>",
    "dropped": lambda i: f"<input type='hidden'>보관기간 {i}일 <script>x()</script>",
    "chrome": lambda i: f"<span class='banner'>알림</span>설치목적 {i} ",
    "spans": lambda i: f"<tr><td rowspan='1000'>{i}과</td><td>{i % 9}대</td><td>30일</td></tr>",
}


def page(shape: str, size: int) -> bytes:
    """A page of about `size` bytes built from the shape's unit (all units, in turn, for
    "mixed"); table-like units sit inside a table."""
    shapes = [s for s in UNITS if s != "spans"] if shape == "mixed" else [shape]
    parts, total, i = [HEAD], len(HEAD), 0
    while total < size:
        kind = shapes[i % len(shapes)]
        unit = UNITS[kind](i)
        if kind in ("table", "spans"):
            unit = TABLE_HEAD + unit * 20 + "</table>" if shape == "mixed" else unit
        parts.append(unit)
        total += len(unit.encode())
        i += 1
    if shape in ("table", "spans"):
        parts.insert(1, TABLE_HEAD)
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts).encode()


def per_mb(parse: Callable[..., dict], shape: str, rounds: int) -> tuple[float, float]:
    """Seconds per MB at 4 MB and at 0.25 MB (sixteen pages, the same bytes in all)."""
    large, small = page(shape, LARGE), page(shape, SMALL)
    t_large, t_small = interleaved(
        lambda: parse(large, content_type="text/html"),
        lambda: [parse(small, content_type="text/html") for _ in range(16)],
        rounds=rounds,
    )
    return t_large / (len(large) / 2**20), t_small / (16 * len(small) / 2**20)


def whole_page_seconds(parse: Callable[..., dict], shape: str, mb: float) -> tuple[float, float]:
    """(CPU, wall) seconds of one parse of a page of `mb` MB: CPU time is what the page
    costs, whatever else the machine is doing."""
    body = page(shape, int(mb * 2**20))
    cpu, wall = time.process_time(), time.perf_counter()
    parse(body, content_type="text/html")
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, default=PROJECT, help="checkout whose code is timed")
    parser.add_argument("--page-mb", type=float, default=15.0, help="one page of this size")
    parser.add_argument("--page-shape", default="mixed", choices=[*UNITS, "mixed"])
    args = parser.parse_args()
    tree = args.tree.resolve()
    sys.path.insert(0, str(tree))  # the project's modules are first imported below, from there
    from transforms.contract import MAX_PAGE_BYTES, parse_document

    print(f"code: {tree}")
    figures = {}
    for shape in (*UNITS, "mixed"):
        large, small = per_mb(parse_document, shape, rounds=3 if shape == "mixed" else 1)
        figures[shape] = (small, large)
        print(
            f"{shape:12s} {small:6.3f} s/MB at 0.25 MB  {large:6.3f} s/MB at 4 MB  "
            f"ratio {large / small:.2f}"
        )
    small, large = figures["mixed"]
    ratio = large / small
    slowest = max(large for _, large in figures.values())
    at_cap = slowest * MAX_PAGE_BYTES / 2**20
    print(
        f"slowest shape {slowest:.2f} s/MB: a page at the {MAX_PAGE_BYTES / 2**20:.0f} MB cap "
        f"takes about {at_cap:.0f} s"
    )
    whole: dict[str, object] = {}
    if args.page_mb > 0:
        cpu, wall = whole_page_seconds(parse_document, args.page_shape, args.page_mb)
        print(
            f"one {args.page_shape} page of {args.page_mb:g} MB: {cpu:.1f} s CPU ({wall:.1f} s "
            f"wall), target under {PAGE_SECONDS_TARGET:.0f} s"
        )
        whole = {
            "page_mb": args.page_mb,
            "page_shape": args.page_shape,
            "page_cpu_s": round(cpu, 2),
            "page_wall_s": round(wall, 2),
            "page_within_target": cpu < PAGE_SECONDS_TARGET,
        }
    print_result(
        "html_scaling",
        ratio,
        TARGET_RATIO,
        s_per_mb_small=round(small, 3),
        s_per_mb_large=round(large, 3),
        ratios={k: round(v[1] / v[0], 2) for k, v in figures.items()},
        slowest_s_per_mb=round(slowest, 3),
        seconds_at_cap=round(at_cap, 1),
        **whole,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
