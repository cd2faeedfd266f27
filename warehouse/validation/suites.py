"""The expectations run against the warehouse, one `Check` per rule.

Each check names its table, the great-expectations 1.x expectation class, its kwargs, a
severity ("error" fails the run, "warning" is reported only), and two texts people read in
Korean: `name`, the rule in a few words (Data Docs show it in place of GE's English sentence,
the summary page uses it as a column heading), and `why`, the rule's reason, citing the law or
the table contract by what it says, so a reader needs no other document to follow it.

Conditional rules ("where the row is not a template") use great-expectations' own
`Condition` objects: `where` is a function handed GE's `Column` factory at run time, so
this module stays free of the slow import. String row conditions (`condition_parser`)
are deprecated since GE 1.9 and warn on every expectation, and Condition objects cannot
nest an OR inside an AND; so rules that need computed values (item coverage, totals per
institution, other tables) validate derived columns (`derived.py`) instead.

"Retention 0 only where recording is false" also fails a 0 whose `recording` is unknown:
the parse contract sets both together (녹화무 → recording false, retention 0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from domain.constants import KOREA_LAT, KOREA_LON
from warehouse.schema import DEVICE_TYPES, PURPOSES, RECORDING_HOURS, TABLES
from warehouse.validation.derived import PARSED_RETENTION, Coverage

Severity = Literal["error", "warning"]

VALIDATED_TABLES = ("cameras", "policies", "standard_points")

INST_CODE = r"^\d{7}$"
PHONE = r"^0\d{1,2}-\d{3,4}-\d{4}$"
RETENTION_MAX = 365  # above this is an error: no policy justifies keeping footage longer
RETENTION_DEFAULT = 30  # the 표준 개인정보 보호지침 default when no period can be justified
CAMERA_COUNT_MAX = 20_000  # per row
INSTITUTION_CAMERAS_MAX = 100_000  # per institution
UNPARSED_MAX = 0.02  # retention texts the grammar cannot read, per batch
PIPA_IN_FORCE = date(2011, 9, 30)  # 개인정보 보호법 시행일
DEVICE_SCOPES = ("fixed", "mobile", "both")  # parse-contract.md `device_scope`
TRAFFIC_INFO = "교통정보수집"  # the one purpose that records nothing, so keeps 0 days

# Where each table's failing rows are traced back to: the institution, the page or file the
# row came from, and the row within it (shown next to unexpected values, and on the
# failures page with the institution's name).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "cameras": ("inst_code", "source_url", "capture_sha256", "row_ref"),
    "policies": ("inst_code", "source_url", "capture_sha256"),
    "standard_points": ("inst_code", "inst_name_raw", "source_url", "row_ref"),
}

# The reasons, stated once where several checks share them.
CONTRACT_COLUMNS = "웨어하우스의 표 정의에 있는 열이 모두 있어야 이후 단계가 값을 읽는다."
INST_KEYED = "모든 행은 기관에 귀속된다: 기관은 7자리 행정표준코드(기관코드)로 식별한다."
REGISTERED = (
    "기관코드는 기관 목록에 있고 수집한 날 유효한 코드여야 한다(폐지·통합된 "
    "기관의 코드가 아니어야 한다)."
)
RETENTION_RANGE = (
    "보관기간은 0일 이상 365일 이하의 일수다: 개인정보 보호법 시행령 제25조제1항제4호는 "
    "방침에 보관기간을 적도록 하고, 1년을 넘겨 보관할 이유는 방침이 밝힌 적이 없다."
)
RETENTION_OVER_DEFAULT = (
    "표준 개인정보 보호지침은 보관기간을 정하기 곤란하면 수집 후 30일 이내로 하도록 한다: "
    "30일을 넘는 기간은 그 필요를 밝혀야 적법하다."
)
TEMPLATE_NUMBERS = (
    "서식 예시(○○과, 00대처럼 빈칸이 남은 행)는 실제 수치가 아니므로 숫자를 싣지 않는다"
    "(0이 아니라 빈 값): 예시가 집계에 섞이지 않게 한다."
)
HOURS_ENUM = "촬영시간은 24시간, 시간 지정, 녹화 안 함 가운데 하나다(알 수 없으면 빈 값)."
ITEMS_RULE = (
    "개인정보 보호법 시행령 제25조제1항은 운영·관리 방침에 설치 근거·목적, 설치 대수·위치·"
    "촬영 범위, 관리책임자·접근 권한자, 촬영시간·보관기간·보관장소·처리방법, 확인 방법·장소, "
    "열람 요구에 대한 조치, 안전성 확보 조치를 적도록 한다."
)
DATED = "방침의 제정일·개정일은 개인정보 보호법 시행일(2011년 9월 30일)과 수집한 날 사이에 있다."
PHONE_RULE = "전화번호는 지역번호를 채운 뒤 0NN-NNNN-NNNN 꼴이어야 걸 수 있다."
PURPOSE_RULE = (
    "설치목적은 전국CCTV표준데이터의 설치목적구분 10가지(생활방범, 다목적, 어린이보호, "
    "교통단속, 시설물관리, 재난재해, 쓰레기단속, 차량방범, 기타, 교통정보수집) 가운데 하나다."
)
INSIDE_KOREA = (
    f"설치 위치는 대한민국 안(위도 {KOREA_LAT[0]}–{KOREA_LAT[1]}, 경도 {KOREA_LON[0]}–"
    f"{KOREA_LON[1]})에 있다: 밖이면 위도와 경도가 뒤바뀐 경우가 많다."
)
STORAGE_RULE = (
    "개인정보 보호법 시행령 제25조제1항제4호는 보관장소를 적도록 한다: 영상을 보관하면 "
    "어디에 보관하는지 밝혀야 한다."
)


def _inside_korea(t: str) -> list[Check]:
    """Latitude and longitude inside the country's bounding box (domain.constants)."""
    return [
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": axis, "min_value": low, "max_value": high},
            "warning",
            f"{name}가 대한민국 안",
            INSIDE_KOREA,
        )
        for axis, name, (low, high) in (
            ("latitude", "위도", KOREA_LAT),
            ("longitude", "경도", KOREA_LON),
        )
    ]


def suite_name(table: str, severity: str) -> str:
    """One suite per table and severity: "cameras-errors", "policies-warnings"."""
    return f"{table}-{severity}s"


@dataclass(frozen=True)
class Check:
    table: str
    expectation: str  # class name in `great_expectations.expectations`
    kwargs: Mapping[str, Any]
    severity: Severity
    name: str  # the rule in a few Korean words
    why: str  # the reason, in Korean, citing the rule by what it says
    where: Callable[[Any], Any] | None = field(default=None, compare=False)


def _non_null_by_contract(table: str) -> list[Check]:
    """Columns the schema declares non-nullable: the contract every writer must keep. One
    rule for all of them, on the names of the empty ones per row (`contract_gaps`)."""
    return [
        Check(
            table,
            "ExpectColumnValuesToBeNull",
            {"column": "contract_gaps"},
            "error",
            "필수 열에 빈 값 없음",
            "웨어하우스의 표 정의가 빈 값 없이 채우도록 정한 열(기록 위치, 원본 "
            "SHA-256, 파서 버전 등)이 모두 채워져 있어야 한다: 값에는 그 행이 비워 둔 열이 "
            "적힌다.",
        )
    ]


def _contract(table: str) -> list[Check]:
    columns = [f.name for f in TABLES[table]]
    return [
        Check(
            table,
            "ExpectTableColumnsToMatchSet",
            {"column_set": columns, "exact_match": False},
            "error",
            "정의된 열이 모두 있음",
            CONTRACT_COLUMNS,
        ),
        *_non_null_by_contract(table),
    ]


def _inst_code(table: str) -> list[Check]:
    return [
        Check(
            table,
            "ExpectColumnValuesToNotBeNull",
            {"column": "inst_code"},
            "error",
            "기관코드 있음",
            INST_KEYED,
        ),
        Check(
            table,
            "ExpectColumnValuesToMatchRegex",
            {"column": "inst_code", "regex": INST_CODE},
            "error",
            "기관코드는 7자리 숫자",
            INST_KEYED,
        ),
    ]


def _is_template(c: Any) -> Any:
    return c("is_template") == True  # noqa: E712  (a GE Condition, not a Python comparison)


def _not_template(c: Any) -> Any:
    return c("is_template") == False  # noqa: E712


def _recording_or_unknown(c: Any) -> Any:
    return (c("recording") == True) | c("recording").is_null()  # noqa: E712


def _recording(c: Any) -> Any:
    return c("recording") == True  # noqa: E712


def _not_recording(c: Any) -> Any:
    return c("recording") == False  # noqa: E712


def _retained(c: Any) -> Any:
    return c("retention_days") > 0


def _retained_by_policy(c: Any) -> Any:
    return c("retention_days_max") > 0


def _placeholder_retention(c: Any) -> Any:
    return c("placeholder_retention") == True  # noqa: E712


def _records(c: Any) -> Any:
    """Every purpose but traffic information, an unknown one included (SQL's `<>` alone
    would leave the unknown ones out)."""
    return (c("purpose") != TRAFFIC_INFO) | c("purpose").is_null()


def _registered(table: str) -> Check:
    return Check(
        table,
        "ExpectColumnValuesToBeInSet",
        {"column": "inst_code_registered", "value_set": [True]},
        "error",
        "기관 목록에 있는 기관코드",
        REGISTERED,
    )


def _cameras() -> list[Check]:
    t = "cameras"
    return [
        *_contract(t),
        *_inst_code(t),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "source_url"},
            "error",
            "출처 URL 있음",
            "모든 행은 그 행을 읽은 페이지나 파일로 거슬러 올라갈 수 있어야 한다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "min_value": 0, "max_value": RETENTION_MAX},
            "error",
            "보관기간 0–365일",
            RETENTION_RANGE,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "max_value": RETENTION_DEFAULT},
            "warning",
            "보관기간 30일 이하",
            RETENTION_OVER_DEFAULT,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "min_value": 1},
            "error",
            "녹화하면 보관기간 1일 이상",
            "보관기간 0일은 녹화하지 않는 기기(녹화무)에만 맞다: 녹화하는 기기는 하루 이상 "
            "보관한다.",
            where=_recording_or_unknown,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "camera_count", "min_value": 1},
            "error",
            "설치 대수 1대 이상",
            "서식 예시가 아닌 설치 현황 행에는 카메라가 한 대 이상 있다.",
            where=_not_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "camera_count", "max_value": CAMERA_COUNT_MAX},
            "error",
            "한 행 2만 대 이하",
            "설치 현황 한 행의 대수는 20,000대를 넘지 않는다: 넘으면 금액·번호 같은 다른 "
            "숫자를 대수로 읽은 것이다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "institution_camera_total", "max_value": INSTITUTION_CAMERAS_MAX},
            "error",
            "기관별 합계 10만 대 이하",
            "한 기관의 설치 대수 합계는 100,000대를 넘지 않는다(기관코드별로 더한 값).",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeNull",
            {"column": "camera_count"},
            "error",
            "서식 행에 대수 없음",
            TEMPLATE_NUMBERS,
            where=_is_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeNull",
            {"column": "retention_days"},
            "error",
            "서식 행에 보관기간 없음",
            TEMPLATE_NUMBERS,
            where=_is_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "purpose", "value_set": list(PURPOSES)},
            "error",
            "설치목적은 표준 10가지 중 하나",
            PURPOSE_RULE,
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "purpose", "mostly": 0.95},
            "warning",
            "설치목적 분류 95% 이상",
            "방침에 적힌 설치목적의 95% 이상은 표준 설치목적구분으로 분류되어야 기관 사이에 "
            "비교할 수 있다.",
            where=_not_template,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "legal_basis_mapped", "value_set": [True], "mostly": 0.95},
            "warning",
            "설치 근거가 법 제25조제1항 각 호",
            "고정형 영상정보처리기기는 개인정보 보호법 제25조제1항 제1호–제6호(법령 허용, "
            "범죄 예방·수사, 시설 안전·화재 예방, 교통단속, 교통정보 수집·분석, 촬영 정보 "
            "수집·분석)에 해당할 때만 설치할 수 있다: 그렇지 않은 목적이 5%를 넘지 않아야 한다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "recording_hours", "value_set": list(RECORDING_HOURS)},
            "error",
            "촬영시간 값",
            HOURS_ENUM,
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeInSet",
            {"column": "recording_hours", "value_set": ["none"]},
            "warning",
            "녹화하면 촬영시간 있음",
            "녹화하는 기기의 촬영시간이 '녹화 안 함'이면 두 기재가 서로 어긋난다.",
            where=_recording,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "device_type", "value_set": list(DEVICE_TYPES)},
            "error",
            "고정형 또는 이동형",
            "기기는 고정형(개인정보 보호법 제25조) 또는 이동형(제25조의2)이다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "storage_location"},
            "warning",
            "보관하면 보관장소 있음",
            STORAGE_RULE,
            where=_retained,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "storage_location", "value_set": ["-"]},
            "warning",
            "녹화하지 않으면 보관장소 없음",
            "녹화하지 않는 기기(녹화무)에는 보관할 영상이 없으므로 보관장소도 없다.",
            where=_not_recording,
        ),
        Check(
            t,
            "ExpectColumnValuesToMatchRegex",
            {"column": "phone", "regex": PHONE},
            "warning",
            "전화번호 형식",
            PHONE_RULE,
        ),
        *_inside_korea(t),
        _registered(t),
        Check(
            t,
            "ExpectColumnValuesToBeNull",
            {"column": "retention_days"},
            "error",
            "빈칸 보관기간(00일)은 숫자 없음",
            "'00일', '○○일'처럼 빈칸으로 남은 보관기간은 기간을 밝힌 것이 아니므로 숫자로 "
            "읽지 않는다.",
            where=_placeholder_retention,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "placeholder_text", "value_set": [False]},
            "warning",
            "서식 빈칸이 남은 행 없음",
            "○○, 000실, 홍길동 같은 서식 빈칸이 남은 행은 채우지 않은 서식이다: 서식 행으로 "
            "표시되어야 한다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeInSet",
            {"column": "retention_status", "value_set": ["absurd"]},
            "error",
            "365일 초과·영구 보관 없음",
            RETENTION_RANGE + " '영구'나 1년을 넘는 기간은 숫자로 싣지 않는다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {
                "column": "retention_status",
                "value_set": list(PARSED_RETENTION),
                "mostly": 1 - UNPARSED_MAX,
            },
            "error",
            "보관기간 문구 98% 이상 해석",
            "보관기간 문구의 98% 이상은 읽을 수 있어야 한다: 그보다 많이 못 읽으면 보관기간 "
            "통계를 믿을 수 없다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "retention_status", "value_set": list(PARSED_RETENTION)},
            "warning",
            "보관기간 문구 해석",
            "보관기간 문구는 'N일', 'N개월', '녹화무', '-' 또는 빈칸 가운데 하나로 읽힌다: "
            "읽지 못한 문구는 사람이 확인해야 한다.",
        ),
    ]


def _policies(today: date, coverage: Coverage) -> list[Check]:
    t = "policies"
    earliest = pd.Timestamp(PIPA_IN_FORCE)
    latest = pd.Timestamp(today)
    checks = [
        *_contract(t),
        *_inst_code(t),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "device_scope", "value_set": list(DEVICE_SCOPES)},
            "error",
            "방침 대상 기기 값",
            "방침은 고정형, 이동형 또는 둘 다를 다룬다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "recording_hours", "value_set": list(RECORDING_HOURS)},
            "error",
            "촬영시간 값",
            HOURS_ENUM,
        ),
    ]
    for column in ("retention_days_min", "retention_days_max"):
        checks += [
            Check(
                t,
                "ExpectColumnValuesToBeBetween",
                {"column": column, "min_value": 0, "max_value": RETENTION_MAX},
                "error",
                "보관기간 0–365일",
                RETENTION_RANGE,
            ),
            Check(
                t,
                "ExpectColumnValuesToBeNull",
                {"column": column},
                "error",
                "서식 방침에 보관기간 없음",
                TEMPLATE_NUMBERS,
                where=_is_template,
            ),
        ]
    checks += [
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days_max", "max_value": RETENTION_DEFAULT},
            "warning",
            "보관기간 30일 이하",
            RETENTION_OVER_DEFAULT,
        ),
        Check(
            t,
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "retention_days_max",
                "column_B": "retention_days_min",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "error",
            "보관기간 최소 ≤ 최대",
            "방침이 밝힌 가장 짧은 보관기간이 가장 긴 보관기간보다 길 수 없다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "required_items_count", "min_value": 5, "max_value": 7},
            "error",
            "필수 기재사항 7개 중 5개 이상",
            ITEMS_RULE + " 그 가운데 다섯 가지도 적지 않은 방침은 방침이라 보기 어렵다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "required_items_count", "min_value": 7, "max_value": 7},
            "warning",
            "필수 기재사항 7개 모두",
            ITEMS_RULE,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "has_core_items", "value_set": [True], "mostly": 0.95},
            "warning",
            "핵심 기재사항(근거·목적, 관리책임자, 보관기간, 열람 조치)",
            ITEMS_RULE + " 그 가운데 설치 근거·목적, 관리책임자, 촬영시간·보관기간, 열람 요구 "
            "조치는 방침의 95% 이상이 적어야 한다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "has_inventory", "value_set": [True]},
            "warning",
            "설치 현황(표 또는 첨부) 있음",
            "개인정보 보호법 시행령 제25조제1항제2호는 설치 대수·위치·촬영 범위를 적도록 한다: "
            "방침 본문의 표나 첨부파일로 밝혀야 한다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToNotBeNull",
            {"column": "title"},
            "warning",
            "방침 제목 있음",
            "방침 페이지에는 제목이 있어야 무엇을 공개한 것인지 알 수 있다.",
        ),
    ]
    for column in ("enacted_on", "revised_on"):
        checks.append(
            Check(
                t,
                "ExpectColumnValuesToBeBetween",
                {"column": column, "min_value": earliest, "max_value": latest},
                "warning",
                "날짜가 법 시행일과 오늘 사이",
                DATED,
            )
        )
    checks.append(
        Check(
            t,
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "revised_on",
                "column_B": "enacted_on",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "warning",
            "개정일이 제정일 이후",
            "방침을 개정한 날은 제정한 날보다 앞설 수 없다.",
        )
    )
    for column in ("enacted_on", "revised_on"):
        checks.append(
            Check(
                t,
                "ExpectColumnPairValuesAToBeGreaterThanB",
                {
                    "column_A": "fetched_on",
                    "column_B": column,
                    "or_equal": True,
                    "ignore_row_if": "either_value_is_missing",
                },
                "warning",
                "날짜가 수집일 이전",
                "페이지에 적힌 날짜는 그 페이지를 수집한 날보다 늦을 수 없다.",
            )
        )
    checks += [
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "history_ordered", "value_set": [True]},
            "warning",
            "변경 이력이 차례대로",
            "한 기관의 방침 판(변경 이력)은 차례로 이어지고 기간이 겹치지 않으며, 마지막 "
            "판만 현재 판이다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "storage_location_count", "min_value": 1},
            "warning",
            "보관하면 보관장소 있음",
            STORAGE_RULE,
            where=_retained_by_policy,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "contact_phones_valid", "value_set": [True]},
            "warning",
            "담당자·수탁업체 전화번호 형식",
            PHONE_RULE,
        ),
        _registered(t),
        *_coverage(coverage),
    ]
    return checks


def _coverage(coverage: Coverage) -> list[Check]:
    """Coverage of the registry the warehouse was built from (16 광역 and 227 기초 for the
    national one). A 광역 the crawl never tried is a partial crawl, not a failure."""
    if not coverage.sido and not coverage.basic:
        return []  # no registry in the warehouse: nothing to measure coverage against
    t = "policies"
    return [
        Check(
            t,
            "ExpectColumnDistinctValuesToContainSet",
            {"column": "inst_code", "value_set": list(coverage.targeted_sido)},
            "error",
            "수집한 광역마다 방침 있음",
            "수집을 시도한 광역자치단체는 모두 방침 페이지가 있어야 한다: 없으면 수집이나 "
            "해석이 실패한 것이다.",
        ),
        Check(
            t,
            "ExpectColumnDistinctValuesToContainSet",
            {"column": "inst_code", "value_set": list(coverage.sido)},
            "warning",
            "모든 광역에 방침 있음",
            "개인정보 보호법 제25조제7항은 설치·운영하는 기관마다 운영·관리 방침을 정하도록 "
            "한다: 기관 목록의 광역자치단체마다 방침이 있어야 한다.",
        ),
        Check(
            t,
            "ExpectColumnUniqueValueCountToBeBetween",
            {"column": "basic_inst_code", "min_value": coverage.basic_needed},
            "warning",
            "기초 95% 이상에 방침 있음",
            f"개인정보 보호법 제25조제7항은 기관마다 운영·관리 방침을 정하도록 한다: 기관 "
            f"목록의 기초자치단체 {coverage.basic}곳 가운데 95% 이상의 방침이 있어야 한다.",
        ),
    ]


def _standard_points() -> list[Check]:
    """The national standard data as the build stored it: values the build nulls (outside
    Korea, over 365 days, not a purpose) must not survive, and what the publisher got wrong
    in ways the build keeps (an install month after the file's date) is reported."""
    t = "standard_points"
    return [
        *_contract(t),
        *_inside_korea(t),
        Check(
            t,
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "reference_month",
                "column_B": "installed_month",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "warning",
            "설치연월이 데이터기준일자 이전",
            "설치연월은 그 파일의 데이터기준일자보다 늦을 수 없다: 아직 설치하지 않은 "
            "카메라를 설치했다고 적은 것이다.",
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "min_value": 0, "max_value": RETENTION_MAX},
            "error",
            "보관일수 0–365일",
            RETENTION_RANGE,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "retention_days", "min_value": 1},
            "warning",
            "보관일수 1일 이상(교통정보수집 제외)",
            "녹화하는 카메라는 영상을 하루 이상 보관한다: 보관일수 0일은 영상을 남기지 않는 "
            "교통정보수집에만 맞다.",
            where=_records,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeInSet",
            {"column": "purpose", "value_set": list(PURPOSES)},
            "error",
            "설치목적구분은 표준 10가지 중 하나",
            PURPOSE_RULE,
        ),
        Check(
            t,
            "ExpectColumnValuesToBeBetween",
            {"column": "camera_count", "min_value": 1},
            "warning",
            "카메라대수 1대 이상",
            "표준데이터의 한 설치 지점에는 카메라가 한 대 이상 있다: 0대인 지점은 철거했거나 "
            "잘못 적은 것이다.",
        ),
    ]


def checks_for(
    table: str, today: date | None = None, coverage: Coverage | None = None
) -> list[Check]:
    """The checks of one table; `today` bounds the date rules (a crawl date in replays),
    `coverage` is what the registry expects the crawl to cover (see `derived.coverage`)."""
    if table == "cameras":
        return _cameras()
    if table == "policies":
        return _policies(today or date.today(), coverage or Coverage())
    if table == "standard_points":
        return _standard_points()
    raise KeyError(f"no validation suite for table {table!r}")
