"""What each column of the regulators' workbook is called and means, and the 설명 sheet
that says so. Column names come from the shared vocabulary (`warehouse.labels`), so a column
is called the same in the workbook, the report, the site and the notebooks; a column the
workbook derives itself (a count over camera rows, a yes/no flag) is named and explained
here, beside the sheets that show it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from warehouse.dictionary import VIEWS
from warehouse.exports.sheet import Sheet
from warehouse.labels import VALUES, column_label, item_label, unit_label, value_label


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, what it means, its unit, where in the warehouse
    its values come from, and what each value it shows means (for flags)."""

    header: str
    meaning: str
    unit: str = ""
    source: str = ""
    values: tuple[tuple[str, str], ...] = ()


BLANK = "빈 칸"
MISSING_NOTE = (
    "빈 칸은 값이 없다는 뜻입니다: 방침에 적혀 있지 않거나(미기재) 해당하는 행이 없습니다. "
    "0은 실제로 0이라고 적힌 값입니다(예: 녹화하지 않아 보관기간 0일)."
)
TEMPLATE_VALUES = (
    ("예", "빈칸이 남은 서식 그대로: 대수와 보관기간을 알 수 없음"),
    ("아니오", "기관의 내용으로 채운 방침"),
    (BLANK, "판단할 자료가 없음(방침을 읽지 못함)"),
)
_PO = "운영·관리 방침"


def _label(table: str, column: str) -> str:
    return column_label(table, column)


CODE = Column(
    _label("institutions", "inst_code"), "행정표준기관코드 7자리.", "", "institutions.inst_code"
)
NAME = Column(
    _label("institutions", "name"),
    "기관의 이름. 기관명이 바뀐 기관은 자료를 수집한 날의 이름(없으면 현재 이름).",
    "",
    "institutions.name",
)
STATED_MIN = Column(
    _label("retention_by_institution", "stated_retention_days_min"),
    f"{_PO}에 적힌 보관기간 중 가장 짧은 것(방침 본문의 문장과 본문 표 포함).",
    "일",
    "policies.retention_days_min",
)
STATED_MAX = Column(
    _label("retention_by_institution", "stated_retention_days_max"),
    f"{_PO}에 적힌 보관기간 중 가장 긴 것. 30일 초과는 주황, 365일 초과는 빨강.",
    "일",
    "policies.retention_days_max",
)
TEMPLATE = Column(
    _label("policies", "is_template"),
    "방침이 ○○○, 00대 같은 빈칸이 남은 서식(템플릿) 그대로인지.",
    "",
    "policies.is_template",
    TEMPLATE_VALUES,
)
REQUIRED = Column(
    _label("policies", "required_items_present"),
    "시행령 제25조제1항 제1–7호 가운데 방침이 다룬 항목 수. 7 미만은 주황, 5 미만은 빨강.",
    "항목 수",
    "policies.items_present",
)
FETCHED = Column(
    f"{_label('captures', 'fetched_at')}(KST)",
    "문서를 가져온 시각, 한국 표준시(KST).",
    "",
    "captures.fetched_at",
)
CAMERA_ROWS = Column(
    _label("policies", "camera_rows"),
    "방침 본문과 첨부파일의 설치 현황 표에서 읽은 카메라 행 수(서식 행 제외).",
    "행",
    "cameras",
)

COMPARISON: tuple[Column, ...] = (
    CODE,
    NAME,
    Column(
        "방침 수집",
        f"이 기관의 {_PO}을 수집해 읽었는지.",
        "",
        "policies",
        (("있음", "방침을 읽었음"), ("없음", "방침을 찾지 못했거나 수집 대상이 아님")),
    ),
    Column(
        _label("policies", "items_present"),
        "방침이 다룬 기재사항 번호(시행령 제25조제1항 제1–8호), 쉼표로 구분.",
        "항목 번호",
        "policies.items_present",
    ),
    REQUIRED,
    TEMPLATE,
    STATED_MIN,
    STATED_MAX,
    CAMERA_ROWS,
    Column(
        _label("policy_scorecard", "camera_total"),
        "그 카메라 행들의 카메라 대수 합계. 행이 없으면 빈 칸(0이 아님).",
        "대",
        "cameras.camera_count",
    ),
    Column(
        _label("policy_vs_standard", "standard_cameras"),
        "전국CCTV표준데이터(최신 파일)에 이 기관으로 실린 카메라 대수 합계.",
        "대",
        "policy_vs_standard.standard_cameras",
    ),
    Column(
        _label("policy_vs_standard", "standard_to_policy"),
        "표준데이터 카메라 대수 ÷ 방침 카메라 대수. 0.5–1.2 밖이면 주황.",
        "비율",
        "policy_vs_standard.standard_to_policy",
    ),
    Column(
        _label("policy_scorecard", "open_issues_error"),
        "이 기관의 품질 이슈 가운데 심각도가 오류인 것의 수(품질이슈 시트).",
        "건",
        "quality_issues",
    ),
    Column(
        _label("policy_scorecard", "open_issues_warning"),
        "심각도가 경고인 품질 이슈의 수.",
        "건",
        "quality_issues",
    ),
    Column(
        _label("policy_scorecard", "open_issues_info"),
        "심각도가 참고인 품질 이슈의 수.",
        "건",
        "quality_issues",
    ),
)

RETENTION: tuple[Column, ...] = (
    CODE,
    NAME,
    STATED_MIN,
    STATED_MAX,
    Column(
        _label("retention_by_institution", "row_retention_days_min"),
        "녹화하는 카메라 행(서식 행 제외)의 보관기간 중 가장 짧은 것.",
        "일",
        "cameras.retention_days",
    ),
    Column(
        _label("retention_by_institution", "row_retention_days_median"),
        "그 카메라 행들의 보관기간 중앙값.",
        "일",
        "cameras.retention_days",
    ),
    Column(
        _label("retention_by_institution", "row_retention_days_max"),
        "그 카메라 행들의 보관기간 중 가장 긴 것.",
        "일",
        "cameras.retention_days",
    ),
    Column(
        _label("retention_by_institution", "rows_over_30_days"),
        "보관기간이 30일을 넘는 카메라 행 수.",
        "행",
        "cameras.retention_days",
    ),
    Column(
        "365일 초과 보관 행 수",
        "보관기간이 365일을 넘는 카메라 행 수.",
        "행",
        "cameras.retention_days",
    ),
    Column(
        "보관기간 미기재 행 수",
        "보관기간이 적혀 있지 않은 카메라 행 수.",
        "행",
        "cameras.retention_days",
    ),
    Column(
        _label("retention_by_institution", "keeps_over_30_days"),
        "방침에 적힌 보관기간 또는 어느 카메라 행의 보관기간이 30일을 넘는지. 카메라 행에 "
        "보관기간이 없어도 방침에 적힌 기간으로 판단합니다. 30일은 표준 개인정보 보호지침의 "
        "기본값으로, 자세히 볼 대상이라는 표시이지 법정 상한이 아닙니다.",
        "",
        "retention_by_institution.keeps_over_30_days",
        (
            ("예", "방침이나 카메라 행 중 하나라도 30일 초과"),
            ("아니오", "모두 30일 이하"),
            (BLANK, "어디에도 보관기간이 적혀 있지 않음"),
        ),
    ),
)

_ITEM_COLUMNS = tuple(
    Column(
        item_label(n, short=True),
        f"방침에 {item_label(n)}에 관한 내용이 있는지.",
        "",
        "policies.items_present",
        (("○", "다룸"), ("×", "다루지 않음")),
    )
    for n in range(1, 9)
)
COVERAGE: tuple[Column, ...] = (
    CODE,
    NAME,
    Column(_label("policies", "title"), "방침 페이지의 제목.", "", "policies.title"),
    *_ITEM_COLUMNS,
    REQUIRED,
    Column(
        _label("item_coverage", "items_missing"),
        "방침이 다루지 않은 기재사항 번호(제1–8호), 쉼표로 구분.",
        "항목 번호",
        "item_coverage.items_missing",
    ),
    TEMPLATE,
    FETCHED,
    Column(_label("policies", "source_url"), "방침 페이지의 주소.", "", "policies.source_url"),
)

_LEVELS = {
    "error": "자료가 틀렸거나 읽지 못함: 바로잡아야 함",
    "warning": "사람이 확인해야 함",
    "info": "알아 둘 사항",
}
_STAGES = {
    "crawl": "사이트에서 가져올 때",
    "parse": "문서 한 건을 읽을 때",
    "build": "여러 문서를 합칠 때",
    "standard": "전국CCTV표준데이터를 읽을 때",
}
ISSUES: tuple[Column, ...] = (
    Column(
        _label("quality_issues", "level"),
        "이슈의 무게.",
        "",
        "quality_issues.level",
        tuple((value_label("issue_level", k), v) for k, v in _LEVELS.items()),
    ),
    Column("이슈", "이슈의 종류(한 줄 제목).", "", "quality_issues.code"),
    CODE,
    NAME,
    Column(
        _label("quality_issues", "stage"),
        "이슈가 드러난 처리 단계.",
        "",
        "quality_issues.stage",
        tuple((value_label("stage", k), v) for k, v in _STAGES.items()),
    ),
    Column(
        _label("quality_issues", "message"),
        "무엇이 어디에서 문제인지, 원문 값과 함께.",
        "",
        "quality_issues.message",
    ),
    Column(
        _label("quality_issues", "row_ref"),
        "문서 안의 위치(표·행 번호 등).",
        "",
        "quality_issues.row_ref",
    ),
    Column(
        _label("quality_issues", "source_url"),
        "이슈가 나온 문서의 주소.",
        "",
        "quality_issues.source_url",
    ),
    Column(
        _label("quality_issues", "capture_sha256"),
        "보관본(WARC)에 있는 그 문서의 SHA-256: 출처 시트와 보관본에서 같은 값을 찾을 수 있습니다.",
        "",
        "quality_issues.capture_sha256",
    ),
    Column(
        _label("quality_issues", "parser_version"),
        "문서를 읽은 해석기의 판.",
        "",
        "quality_issues.parser_version",
    ),
    Column(
        _label("quality_issues", "code"),
        "이슈 종류의 고유 이름: 웨어하우스와 검증 보고서(Data Docs)에서 같은 이슈를 찾을 때 "
        "씁니다.",
        "",
        "quality_issues.code",
    ),
)

SOURCES: tuple[Column, ...] = (
    CODE,
    NAME,
    Column(
        _label("captures", "role"),
        "수집할 때 이 문서를 가져온 목적.",
        "",
        "captures.role",
        tuple((label, "") for label in VALUES["capture_role"].values()),
    ),
    Column(_label("captures", "url"), "문서의 주소.", "", "captures.url"),
    Column(
        _label("captures", "sha256"),
        "문서 내용의 SHA-256: 보관본(WARC)의 같은 문서를 찾는 열쇠입니다.",
        "",
        "captures.sha256",
    ),
    FETCHED,
    Column(
        "사용처",
        "이 문서에서 행을 얻은 웨어하우스 표들.",
        "",
        "policies, cameras, …",
    ),
)


# The policy_vs_standard view's columns in Korean (docs/data-dictionary.md says the same).
_STOCK_MEANINGS = {
    "inst_code": CODE.meaning,
    "name": "기관의 현재 이름(표준데이터에만 있는 기관은 관리기관명).",
    "policy_rows": "방침 쪽 카메라 행 수: 방침 본문, 첨부파일, 가져온 파일(서식 행 제외).",
    "policy_cameras": "그 행들의 카메라 대수 합계.",
    "standard_points": "이 기관의 최신 전국CCTV표준데이터 파일에 실린 지점 수.",
    "standard_cameras": "그 지점들의 카메라대수 합계.",
    "standard_to_policy": (
        "표준데이터 카메라 대수 ÷ 방침 카메라 대수(소수 셋째 자리). 방침 대수가 없으면 빈 칸. "
        "표준데이터에는 실외 공공목적 카메라만 실리므로 1 이하가 보통이고, 0.5–1.2 밖이면 주황."
    ),
    "flag": "다음 가운데 처음 해당하는 판정.",
}


def stock_columns(columns: Sequence[str]) -> tuple[Column, ...]:
    """The 재고 대조 sheet's columns: the policy_vs_standard view's own, named by the
    vocabulary, with the data dictionary's unit; flags with their labels. A column the
    vocabulary does not know keeps its own name, so nothing is hidden."""
    view = VIEWS["policy_vs_standard"].columns
    described = []
    for name in columns:
        try:
            header = column_label("policy_vs_standard", name)
        except KeyError:
            header = name
        unit = view.get(name, (None, ""))[0]
        values: tuple[tuple[str, str], ...] = ()
        if name == "flag":
            values = tuple((label, "") for label in VALUES["flag"].values())
        described.append(
            Column(
                header,
                _STOCK_MEANINGS.get(name, f"{header}: 방침과 표준데이터의 기관별 대조."),
                unit_label(unit) if unit else "",
                f"policy_vs_standard.{name}",
                values,
            )
        )
    return tuple(described)


LEGEND_TITLE = "설명"
LEGEND_HEADERS = ["시트", "열", "값", "뜻", "단위", "웨어하우스 원천(표.열)"]
PREAMBLE: list[tuple[str, object]] = [
    (
        "이 통합문서",
        "CCTV 운영·관리 방침 수집 결과: 기관별 비교, 보관기간, 필수 기재사항, "
        "품질 이슈, 표준데이터 대조, 출처.",
    ),
    ("빈 칸", MISSING_NOTE),
    ("색", "주황·빨강은 조건부 서식입니다. 정렬하거나 값을 고쳐도 색이 따라갑니다."),
    ("시각", "모든 시각은 한국 표준시(KST)입니다."),
    (
        "작은따옴표(')",
        "수식 문자(=, +, -, @)로 시작하는 글자는 열 때 실행되지 않도록 앞에 '를 붙였습니다.",
    ),
]


def legend_sheet(sheets: Sequence[tuple[str, Sequence[Column]]]) -> Sheet:
    """The 설명 sheet: every column of every sheet (its meaning, unit and where in the
    warehouse it comes from), and under a flag column each value it shows."""
    rows: list[list[object]] = []
    for title, columns in sheets:
        for column in columns:
            rows.append(
                [
                    title,
                    column.header,
                    None,
                    column.meaning,
                    column.unit or None,
                    column.source or None,
                ]
            )
            for shown, meaning in column.values:
                rows.append([title, column.header, shown, meaning or None, None, None])
    return Sheet(LEGEND_TITLE, LEGEND_HEADERS, rows, preamble=PREAMBLE, wrap=("뜻",))
