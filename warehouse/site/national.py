"""The national summary pages: retention, 필수 기재사항 coverage, cameras by purpose and 시도,
and the agreement with the national standard data, each a chart and the table behind it.

Charts are SVG drawn by matplotlib with a Korean font and glyphs stored as outlines, so
they show Hangul on a machine without that font and need no request. A handful of charts
for the whole country: per-institution figures are on the institutions' own pages.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from warehouse.labels import ITEM_SHORT, MISSING, item_label, value_label
from warehouse.plotting import dated, source_note, use_korean_font
from warehouse.site.data import SiteData
from warehouse.site.index import (
    REQUIRED_ITEMS,
    RETENTION_LIMIT_DAYS,
    IndexRow,
    institution_href,
)
from warehouse.site.institution import page_templates

NATIONAL_DIR = "national"
POLICY_SOURCE = "영상정보처리기기 운영·관리 방침"
STANDARD_SOURCE = "전국CCTV표준데이터"
# Retention bands a reader compares against the 30-day default of the 표준 개인정보 보호지침.
RETENTION_BANDS = (
    (7, "7일 이하"),
    (14, "8–14일"),
    (30, "15–30일"),
    (60, "31–60일"),
    (90, "61–90일"),
    (None, "90일 초과"),
)
BAR = "#0b5cad"
BAR_OVER = "#c2410c"


@dataclass
class Table:
    """A table under a chart: header cells and rows of already-worded cells; `links` maps a
    row's position to the institution page its first cell links to."""

    headers: Sequence[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()
    links: dict[int, str] = field(default_factory=dict)


@dataclass
class Section:
    """One chart (an SVG file beside the page, or none when there is nothing to draw), what
    it shows in words, and its table."""

    heading: str
    text: str
    chart: str | None
    alt: str
    table: Table | None


@dataclass
class NationalPage:
    slug: str
    title: str
    summary: str  # one sentence for the overview page
    sections: list[Section]


@dataclass(frozen=True)
class Sources:
    """The dates under every chart: when the policies and the standard data were read."""

    policy: str
    standard: str  # "" when the warehouse holds no standard data

    @classmethod
    def of(cls, data: SiteData) -> Sources:
        pages = data.institutions.values()
        fetched = [p.fetched_at for d in pages for p in d.policies if p.fetched_at]
        reference = [d.standard.reference_date for d in pages if d.standard]
        reference = [r for r in reference if r]
        return cls(
            policy=f"{POLICY_SOURCE}, {dated('수집', *_span(fetched))}",
            standard=f"{STANDARD_SOURCE}, {dated('기준', *_span(reference))}" if reference else "",
        )

    @property
    def credit(self) -> str:
        """The line under every page: which data, read when."""
        return "자료: " + "; ".join(s for s in (self.policy, self.standard) if s) + "."


def _span(values: list) -> tuple[object, object]:
    return (min(values), max(values)) if values else (None, None)


SvgWriter = Callable[[str, Figure], str]


def national_pages(
    data: SiteData, rows: Sequence[IndexRow], write_svg: SvgWriter
) -> list[NationalPage]:
    """Every national page's content for the institutions in `rows` (the index's, so the
    pages and the index count the same institutions); `write_svg(name, fig)` stores a chart
    and returns its file name relative to the pages."""
    use_korean_font()
    sources = Sources.of(data)
    return [
        _retention_page(rows, sources, write_svg),
        _items_page(data, rows, sources, write_svg),
        _cameras_page(data, rows, sources, write_svg),
        _standard_page(data, rows, sources, write_svg),
    ]


def render_national(page: NationalPage, *, built_at: str, sources: str) -> str:
    return (
        page_templates()
        .get_template("national.html.j2")
        .render(page=page, built_at=built_at, sources=sources, root="..")
    )


def render_overview(pages: Sequence[NationalPage], *, built_at: str, sources: str) -> str:
    return (
        page_templates()
        .get_template("national_index.html.j2")
        .render(pages=pages, built_at=built_at, sources=sources, root="..")
    )


def page_href(slug: str) -> str:
    """A national page relative to the site's root."""
    return f"{NATIONAL_DIR}/{slug}.html"


# --- the pages ---------------------------------------------------------------------------


def _retention_page(
    rows: Sequence[IndexRow], sources: Sources, write_svg: SvgWriter
) -> NationalPage:
    with_policy = [r for r in rows if r.policy_found]
    bands = Counter(_band(r.retention_max) for r in with_policy)
    labels = [label for _, label in RETENTION_BANDS] + ["미기재"]
    values = [bands.get(label, 0) for label in labels]
    colours = [BAR] * 3 + [BAR_OVER] * 3 + ["0.6"]
    fig = _bars(labels, values, "기관 수", colours=colours, horizontal=False)
    fig.axes[0].set_title("기관별 최대 보관기간")
    source_note(fig, sources.policy)
    chart = write_svg("retention.svg", fig) if with_policy else None
    over = sorted((r for r in rows if r.over_30), key=lambda r: (-(r.retention_max or 0), r.name))
    over_table = Table(
        headers=("기관명", "시도", "보관기간 최대", "카메라 대수"),
        rows=[[r.name, r.sido or MISSING, _n(r.retention_max, "일"), _n(r.cameras)] for r in over],
        numeric=frozenset({2, 3}),
        links={n: institution_href(r.inst_code) for n, r in enumerate(over)},
    )
    total = len(with_policy)
    return NationalPage(
        slug="retention",
        title="보관기간",
        summary=f"방침을 찾은 {total:,}곳 가운데 {len(over):,}곳이 "
        f"{RETENTION_LIMIT_DAYS}일을 넘겨 보관합니다.",
        sections=[
            Section(
                heading="기관별 최대 보관기간 분포",
                text="방침 본문과 설치 현황 행에 적힌 보관기간 가운데 가장 긴 것을 기관마다 "
                f"하나씩 세었습니다. 주황색 막대는 {RETENTION_LIMIT_DAYS}일(표준 개인정보 "
                "보호지침의 기본 보관기간)을 넘는 기관입니다.",
                chart=chart,
                alt=_alt("최대 보관기간별 기관 수", labels, values, "곳"),
                table=Table(
                    headers=("최대 보관기간", "기관 수", "비율"),
                    rows=[
                        [lab, _n(v), _share(v, total)]
                        for lab, v in zip(labels, values, strict=True)
                    ],
                    numeric=frozenset({1, 2}),
                ),
            ),
            Section(
                heading=f"{RETENTION_LIMIT_DAYS}일을 넘겨 보관하는 기관",
                text="보관기간이 긴 순서입니다." if over else "해당하는 기관이 없습니다.",
                chart=None,
                alt="",
                table=over_table if over else None,
            ),
        ],
    )


def _band(days: int | None) -> str:
    if days is None:
        return "미기재"
    return next(label for limit, label in RETENTION_BANDS if limit is None or days <= limit)


def _items_page(
    data: SiteData, rows: Sequence[IndexRow], sources: Sources, write_svg: SvgWriter
) -> NationalPage:
    with_policy = [data.institutions[r.inst_code] for r in rows if r.required_items is not None]
    by_item = Counter(item for page in with_policy for item in page.items_present)
    total = len(with_policy)
    numbers = list(range(1, 9))
    labels = [f"제{n}호 {ITEM_SHORT[n]}" for n in numbers]
    values = [by_item.get(n, 0) for n in numbers]
    shares = [100 * v / total if total else 0 for v in values]
    fig = _bars(labels, shares, "기재한 기관 비율(%)", unit="%")
    fig.axes[0].set_xlim(0, 100)
    fig.axes[0].set_title(f"필수 기재사항별 기재율 (방침을 찾은 {total:,}곳)")
    source_note(fig, sources.policy)
    chart = write_svg("items.svg", fig) if total else None
    complete = sum(1 for r in rows if r.compliance == "all")
    missing = sorted(
        (r for r in rows if r.compliance == "some"), key=lambda r: (r.required_items or 0, r.name)
    )
    return NationalPage(
        slug="items",
        title="필수 기재사항",
        summary=f"방침을 찾은 {total:,}곳 가운데 {complete:,}곳이 제1호–제{REQUIRED_ITEMS}호를 "
        "모두 적었습니다.",
        sections=[
            Section(
                heading="항목별 기재율",
                text="개인정보 보호법 시행령 제25조제1항이 방침에 적도록 한 사항마다, 그 "
                "사항을 적은 기관의 비율입니다. 제8호(그 밖의 사항)는 적을 것이 있을 때만 "
                "적는 항목이라 준수 판단에서 뺍니다.",
                chart=chart,
                alt=_alt("항목별 기재 기관 수", labels, values, "곳"),
                table=Table(
                    headers=("항목", "기재한 기관", "비율"),
                    rows=[
                        [item_label(n), _n(v), _share(v, total)]
                        for n, v in zip(numbers, values, strict=True)
                    ],
                    numeric=frozenset({1, 2}),
                ),
            ),
            Section(
                heading="필수 기재사항이 빠진 기관",
                text="적은 항목이 적은 순서입니다." if missing else "해당하는 기관이 없습니다.",
                chart=None,
                alt="",
                table=Table(
                    headers=("기관명", "시도", "적은 필수 기재사항"),
                    rows=[
                        [r.name, r.sido or MISSING, f"{r.required_items}/{REQUIRED_ITEMS}"]
                        for r in missing
                    ],
                    numeric=frozenset({2}),
                    links={n: institution_href(r.inst_code) for n, r in enumerate(missing)},
                )
                if missing
                else None,
            ),
        ],
    )


def _cameras_page(
    data: SiteData, rows: Sequence[IndexRow], sources: Sources, write_svg: SvgWriter
) -> NationalPage:
    by_purpose: Counter[str] = Counter()
    by_sido: Counter[str] = Counter()
    for row in rows:
        for group in data.institutions[row.inst_code].by_purpose:
            if group.cameras:
                by_purpose[group.label or "목적 미기재"] += group.cameras
        if row.cameras:
            by_sido[row.sido or "시도 미상"] += row.cameras
    total = sum(by_purpose.values())
    sections = []
    for heading, counts, name, what in (
        ("설치 목적별 카메라 대수", by_purpose, "cameras-purpose.svg", "설치 목적"),
        ("시도별 카메라 대수", by_sido, "cameras-sido.svg", "시도"),
    ):
        ordered = counts.most_common()
        labels, values = [k for k, _ in ordered], [v for _, v in ordered]
        chart = None
        if total:
            fig = _bars(labels, values, "카메라 대수")
            fig.axes[0].set_title(heading)
            source_note(fig, sources.policy)
            chart = write_svg(name, fig)
        sections.append(
            Section(
                heading=heading,
                text="방침 본문과 첨부 설치 현황에 적힌 대수의 합입니다(서식 예시 행 제외)."
                if total
                else "설치 현황이 적힌 방침이 없습니다.",
                chart=chart,
                alt=_alt(heading, labels, values, "대"),
                table=Table(
                    headers=(what, "카메라 대수", "비율"),
                    rows=[[k, _n(v), _share(v, total)] for k, v in ordered],
                    numeric=frozenset({1, 2}),
                )
                if ordered
                else None,
            )
        )
    return NationalPage(
        slug="cameras",
        title="설치 현황",
        summary=f"방침과 첨부 설치 현황에 적힌 카메라는 모두 {total:,}대입니다.",
        sections=sections,
    )


def _standard_page(
    data: SiteData, rows: Sequence[IndexRow], sources: Sources, write_svg: SvgWriter
) -> NationalPage:
    order = ["ok", "standard_exceeds_policy", "policy_below_half", "no_standard", "no_policy"]
    found = [
        (r.inst_code, r.name, s.policy_cameras, s.standard_cameras, s.standard_to_policy, s.flag)
        for r in rows
        if (s := data.institutions[r.inst_code].standard) is not None
    ]
    found.sort(key=lambda f: (order.index(f[5]) if f[5] in order else len(order), f[1]))
    flags = Counter(flag for *_, flag in found)
    labels = [value_label("flag", f) for f in order]
    values = [flags.get(f, 0) for f in order]
    compared = any(standard for *_, standard, _ratio, _flag in found)
    chart = None
    if compared:
        fig = _bars(labels, values, "기관 수")
        fig.axes[0].set_title("방침과 표준데이터의 카메라 대수 대조")
        source_note(fig, sources.policy, sources.standard)
        chart = write_svg("standard.svg", fig)
    table = Table(
        headers=(
            "기관명",
            "방침 카메라 대수",
            "표준데이터 카메라 대수",
            "표준데이터/방침",
            "대조 결과",
        ),
        rows=[
            [
                name or code,
                _n(p),
                _n(s),
                MISSING if r is None else f"{float(r):,.2f}배",
                value_label("flag", flag),
            ]
            for code, name, p, s, r, flag in found
        ],
        numeric=frozenset({1, 2, 3}),
        links={n: institution_href(row[0]) for n, row in enumerate(found)},
    )
    agree = flags.get("ok", 0)
    return NationalPage(
        slug="standard",
        title="표준데이터 대조",
        summary=f"방침과 표준데이터를 모두 가진 기관 가운데 {agree:,}곳의 대수가 맞습니다."
        if compared
        else "표준데이터가 없어 대조하지 않았습니다.",
        sections=[
            Section(
                heading="대조 결과별 기관 수",
                text="기관마다 방침에 적힌 카메라 대수를 공공데이터포털의 전국CCTV표준데이터와 "
                "비교했습니다. 표준데이터가 방침보다 20% 넘게 많거나 방침 대수가 표준데이터의 "
                "절반에 못 미치면 따로 표시합니다."
                if compared
                else "이 자료에는 전국CCTV표준데이터가 들어 있지 않습니다. "
                "`cctv fetch-standard`로 받은 뒤 다시 만들면 대조 결과가 나옵니다.",
                chart=chart,
                alt=_alt("대조 결과별 기관 수", labels, values, "곳"),
                table=table if found else None,
            )
        ],
    )


# --- drawing and wording -----------------------------------------------------------------


def _bars(
    labels: Sequence[str],
    values: Sequence[float],
    axis: str,
    *,
    colours: Sequence[str] | None = None,
    horizontal: bool = True,
    unit: str = "",
) -> Figure:
    """A bar chart with each bar's value written at its end (a reader should not have to
    read values off an axis)."""
    height = max(2.4, 0.42 * len(labels) + 1.2) if horizontal else 3.6
    fig = Figure(figsize=(8, height), layout="constrained")
    ax = fig.add_subplot()
    colour = list(colours) if colours else BAR
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        bars = ax.barh(positions, values, color=colour)
        ax.set_yticks(positions, labels)
        ax.set_xlabel(axis)
    else:
        bars = ax.bar(range(len(labels)), values, color=colour)
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(axis)
    ax.bar_label(bars, labels=[f"{_short(v)}{unit}" for v in values], padding=3, fontsize=9)
    axis_of_values = ax.xaxis if horizontal else ax.yaxis
    axis_of_values.set_major_locator(MaxNLocator(integer=True))
    axis_of_values.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.margins(x=0.12) if horizontal else ax.margins(y=0.15)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def _short(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def svg_bytes(fig: Figure) -> bytes:
    """The figure as SVG with text as outlines and no date, so a rebuild of the same data
    writes the same file."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _alt(what: str, labels: Sequence[str], values: Sequence[float], unit: str) -> str:
    """The chart's content as one sentence, for a screen reader and a page without images."""
    parts = ", ".join(f"{k} {_short(v)}{unit}" for k, v in zip(labels, values, strict=True))
    return f"{what}: {parts}" if parts else f"{what}: 자료 없음"


def _n(value: object, unit: str = "") -> str:
    return MISSING if value is None else f"{int(value):,}{unit}"  # type: ignore[call-overload]


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else MISSING


def write_chart(folder: Path) -> SvgWriter:
    """An SvgWriter that stores charts in `folder` and closes nothing it did not open."""

    def write(name: str, fig: Figure) -> str:
        (folder / name).write_bytes(svg_bytes(fig))
        return name

    return write
