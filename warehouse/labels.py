"""The Korean words for everything a person reads: column names, categorical values and
quality-issue titles, one vocabulary shared by the report, site, workbook, notebooks, Data
Docs and the CLI, so the same column or flag is never called two things.

- `column_label(table, column)`: a column's Korean name in that table or view. Columns read
  from the national standard data keep its own header (관리기관명, 보관일수, …; from
  transforms/standard/layout.py); names that mean different things in different tables
  (`warehouse.schema.HOMONYMS`) are named per table.
- `value_label(column, value)`: a categorical value in Korean (sido → 광역, error → 오류,
  True → 예). Missing values read "–" (`MISSING`): nothing to show. A required fact the policy
  does not state reads "미기재" (`NOT_STATED`): that is a finding, not a gap in the data, so it
  is used only for the columns in `STATED_BY_POLICY`. A value with no label is shown as
  written (free text such as a department or a Korean purpose is already what people read).
- `tier_label(level)`: 광역 or 기초 for an institution's level (sido; si, gun, gu), where
  `value_label("level", …)` gives 광역, 시, 군, 구. `item_label(n)`: 필수 기재사항 제n호 in the
  words of 시행령 제25조제1항 (or its short form).
- `issue_title(code)`: a quality-issue code's one-line Korean title; an unknown code is shown
  as the code itself so nothing is hidden, and tests/unit/test_labels.py fails when a code the
  code base emits has no title.
"""

from __future__ import annotations

import math

from transforms.standard.layout import LABELS as STANDARD_HEADERS

MISSING = "–"
NOT_STATED = "미기재"

# 시행령 제25조제1항 제1호–제8호, as the project names them (item_1_basis_purpose, …).
ITEMS: dict[int, str] = {
    1: "설치 근거 및 설치 목적",
    2: "설치 대수, 설치 위치 및 촬영 범위",
    3: "관리책임자, 담당 부서 및 접근 권한자",
    4: "촬영시간, 보관기간, 보관장소 및 처리방법",
    5: "영상정보 확인 방법 및 장소",
    6: "정보주체의 열람 등 요구에 대한 조치",
    7: "영상정보 보호를 위한 기술적·관리적·물리적 조치",
    8: "그 밖의 사항",
}
ITEM_SHORT: dict[int, str] = {
    1: "설치 근거·목적",
    2: "대수·위치·범위",
    3: "관리책임자·접근권한",
    4: "촬영시간·보관기간",
    5: "확인 방법·장소",
    6: "열람 요구 조치",
    7: "안전성 확보 조치",
    8: "그 밖의 사항",
}

# A column's name wherever it means the same thing.
COLUMNS: dict[str, str] = {
    # the standard data's own headers first, so a policy-side name below wins outside it
    **STANDARD_HEADERS,
    # institutions and shared identity
    "inst_code": "기관코드",
    "name": "기관명",
    "institution": "기관명",
    "institution_name": "방침에 적힌 기관명",
    "short_name": "약칭",
    "level": "기관 구분",
    "parent_code": "상위 기관코드",
    "homepage": "홈페이지",
    "area_code": "지역번호",
    "valid_from": "유효 시작일",
    "valid_to": "유효 종료일",
    "successor_code": "승계 기관코드",
    "crawled": "수집 여부",
    # captures and provenance
    "sha256": "SHA-256",
    "url": "URL",
    "status": "HTTP 상태",
    "content_type": "콘텐츠 유형(Content-Type)",
    "content_disposition": "Content-Disposition",
    "filename": "파일명",
    "last_modified": "최종 수정(Last-Modified)",
    "etag": "ETag",
    "media_type": "파일 형식",
    "size_bytes": "크기(바이트)",
    "fetched_at": "수집 시각",
    "role": "수집 목적",
    "referer": "참조 페이지",
    "warc_file": "WARC 파일",
    "warc_offset": "WARC 위치(바이트)",
    "warc_length": "WARC 길이(바이트)",
    "record_type": "레코드 유형",
    "crawl_id": "수집 회차",
    "capture_sha256": "원본 SHA-256",
    "source_url": "출처 URL",
    "parser_version": "파서 버전",
    "row_ref": "원본 행 위치",
    # policies
    "title": "방침 제목",
    "enacted_on": "제정일",
    "revised_on": "개정일",
    "items_present": "기재 항목(1–8)",
    "item_statements": "기재 항목별 근거 문장",
    "items_missing": "누락 항목(1–8)",
    "required_items_present": "필수 기재사항 수(1–7)",
    "is_template": "서식(템플릿) 여부",
    "retention_days_min": "보관기간 최소(일)",
    "retention_days_max": "보관기간 최대(일)",
    "recording_hours": "촬영시간",
    "storage_locations": "보관장소",
    "device_scope": "기기 범위",
    "stated_total": "방침에 적힌 총 대수",
    "attachment_count": "첨부파일 수",
    "camera_rows": "카메라 행 수",
    "content_hash": "본문 해시",
    "institution_identified_by": "기관 식별 근거",
    "institution_confidence": "기관 식별 신뢰도",
    # cameras
    "location": "설치 위치",
    "purpose": "설치 목적",
    "purpose_raw": "설치 목적(원문)",
    "camera_count": "카메라 대수",
    "retention_days": "보관기간(일)",
    "retention_raw": "보관기간(원문)",
    "recording": "녹화 여부",
    "device_type": "기기 유형",
    "legal_basis": "설치 근거",
    "unit": "관리 부서",
    "phone": "전화번호",
    "storage_location": "보관장소",
    "latitude": "위도",
    "longitude": "경도",
    "source_kind": "출처 유형",
    # contacts, contractors
    "department": "부서",
    # quality_issues
    "code": "이슈 코드",
    "message": "내용",
    "stage": "단계",
    # policy_versions
    "version": "판 번호",
    "captures": "수집 횟수",
    "first_capture_sha256": "첫 수집 원본 SHA-256",
    "last_capture_sha256": "마지막 수집 원본 SHA-256",
    "is_current": "현행 여부",
    "camera_total": "카메라 대수 합계",
    "rederived_from": "재산출 근거 파서 버전",
    # aggregates
    "row_label": "행 항목",
    "column_label": "열 항목",
    "value": "값",
    "is_total": "합계 여부",
    # crawl_reports
    "homepage_status": "홈페이지 HTTP 상태",
    "route": "방침 도달 경로",
    "reason": "방침 미발견 사유",
    "policy_found": "방침 발견 여부",
    "policy_url": "방침 URL",
    "policy_in_privacy": "개인정보 처리방침 내 수록",
    "policies": "방침 수",
    "attachments": "첨부파일 수",
    "responses": "응답 수",
    "not_modified": "변경 없음(304) 수",
    "problems": "문제 건수",
    "problem_kinds": "문제 유형",
    "first_at": "첫 요청 시각",
    "last_at": "마지막 요청 시각",
    "seconds": "소요 시간(초)",
    # standard_points (its own headers: `TABLE_COLUMNS` below)
    "inst_name_raw": "관리기관명(원문)",
    "source_inst_code": "개방자치단체코드(원문)",
    "installed_raw": "설치연월(원문)",
    "schema_generation": "표준데이터 세대",
    "row_number": "원본 행 번호",
    # validation_results
    "run_at": "검증 시각",
    "suite": "검증 묶음",
    "table_name": "테이블",
    "column_name": "컬럼",
    "expectation_type": "검증 규칙",
    "severity": "심각도",
    "success": "통과 여부",
    "element_count": "검사 행 수",
    "unexpected_count": "위반 행 수",
    "note": "설명",
    # columns validation computes before checking (warehouse/validation/derived.py)
    "institution_camera_total": "기관별 설치 대수 합계",
    "legal_basis_mapped": "설치 근거가 법 제25조제1항 각 호에 해당",
    "retention_status": "보관기간 문구 해석 결과",
    "placeholder_retention": "보관기간이 빈칸(00일)",
    "placeholder_text": "서식 빈칸이 남은 행",
    "inst_code_registered": "기관 목록에 있는 기관코드",
    "required_items_count": "필수 기재사항 수(제1–7호)",
    "has_core_items": "핵심 기재사항 모두 있음",
    "has_inventory": "설치 현황(표 또는 첨부) 있음",
    "storage_location_count": "보관장소 수",
    "fetched_on": "수집일",
    "history_ordered": "변경 이력이 차례대로",
    "contact_phones_valid": "담당자·수탁업체 전화번호 형식 맞음",
    "basic_inst_code": "기초자치단체 기관코드",
    "installed_month": "설치연월(월 첫날)",
    "reference_month": "데이터기준일자의 달",
    "contract_gaps": "비어 있는 필수 열",
    # views
    "stated_retention_days_min": "방침 보관기간 최소(일)",
    "stated_retention_days_max": "방침 보관기간 최대(일)",
    "rows_with_retention": "보관기간 기재 행 수",
    "row_retention_days_min": "카메라 행 보관기간 최소(일)",
    "row_retention_days_median": "카메라 행 보관기간 중앙값(일)",
    "row_retention_days_max": "카메라 행 보관기간 최대(일)",
    "row_retention_rows": "보관기간 기재 카메라 행 수",
    "row_share_over_30": "카메라 행 30일 초과 비율",
    "rows_over_30_days": "30일 초과 보관 행 수",
    "keeps_over_30_days": "30일 초과 보관",
    "over_30_said_by": "30일 초과 근거",
    "said_by": "30일 초과 근거",
    "cameras": "카메라 대수 합계",
    **{
        f"item_{n}_{suffix}": f"제{n}호 {ITEM_SHORT[n]}"
        for n, suffix in [
            (1, "basis_purpose"),
            (2, "count_location_range"),
            (3, "manager_access"),
            (4, "hours_retention_storage"),
            (5, "viewing_method"),
            (6, "subject_requests"),
            (7, "safeguards"),
            (8, "other"),
        ]
    },
    "inventory_found": "설치 현황 발견 여부",
    "inventory_rows_on_page": "방침 본문 현황 행 수",
    "inventory_rows_in_attachments": "첨부파일 현황 행 수",
    "open_issues_error": "품질이슈 오류",
    "open_issues_warning": "품질이슈 경고",
    "open_issues_info": "품질이슈 참고",
    "points": "설치 지점 수",
    "points_with_retention": "보관일수 기재 지점 수",
    "retention_min": "보관일수 최소",
    "retention_median": "보관일수 중앙값",
    "retention_max": "보관일수 최대",
    "retention_share_over_30": "30일 초과 지점 비율",
    "policy_rows": "방침 카메라 행 수",
    "policy_cameras": "방침 카메라 대수",
    "standard_points": "표준데이터 지점 수",
    "standard_cameras": "표준데이터 카메라 대수",
    "standard_to_policy": "표준데이터/방침 대수 비율",
    "flag": "대조 결과",
    "standard_min": "표준데이터 보관일수 최소",
    "standard_median": "표준데이터 보관일수 중앙값",
    "standard_max": "표준데이터 보관일수 최대",
    "standard_share_over_30": "표준데이터 30일 초과 비율",
    # the notebooks' summaries (counts per group, shares in percent)
    "region": "시·도(광역)",
    "institution_level": "기관 구분",
    "retention_class": "보관기간 구분",
    "address": "주소",
    "institutions": "기관 수",
    "institutions_with_policy": "방침 수집 기관 수",
    "registered": "등록 기관 수",
    "crawled_institutions": "수집 대상 기관 수",
    "with_inventory": "설치 현황 기관 수",
    "policy_pct": "방침 확보율(%)",
    "policy_pages": "방침 페이지 수",
    "crawls": "수집 회차 수",
    "share_pct": "비율(%)",
    "days": "보관기간(일)",
    "page_min": "방침 보관기간 최소(일)",
    "page_max": "방침 보관기간 최대(일)",
    "policy_min": "방침 보관기간 최소(일)",
    "policy_max": "방침 보관기간 최대(일)",
    "stated_min": "방침 기재 보관기간 최소(일)",
    "stated_max": "방침 기재 보관기간 최대(일)",
    "camera_min": "카메라 행 보관기간 최소(일)",
    "camera_median": "카메라 행 보관기간 중앙값(일)",
    "camera_max": "카메라 행 보관기간 최대(일)",
    "camera_pct_over_30": "카메라 행 30일 초과 비율(%)",
    "standard_pct_over_30": "표준데이터 30일 초과 비율(%)",
    "over_30": "30일 초과",
    "over_30_institutions": "30일 초과 기관 수",
    "sources": "30일 초과 근거",
    "with_policy_retention": "방침 보관기간 기재 기관 수",
    "median_longest_policy": "방침 최장 보관기간 중앙값(일)",
    "with_standard_retention": "표준데이터 보관일수 기재 기관 수",
    "min_days": "보관기간 최소(일)",
    "median_days": "보관기간 중앙값(일)",
    "max_days": "보관기간 최대(일)",
    "cameras_under_30": "30일 미만 카메라 대수",
    "cameras_30": "30일 카메라 대수",
    "cameras_over_30": "30일 초과 카메라 대수",
    "points_under_30": "30일 미만 지점 수",
    "points_30": "30일 지점 수",
    "points_over_30": "30일 초과 지점 수",
    "version_change": "판 변경",
    "changed_on": "변경일",
    "retention_before": "보관기간(변경 전)",
    "retention_after": "보관기간(변경 후)",
    "captured": "수집일",
    "captured_on": "수집일",
    "retention_stated": "방침 보관기간",
    "issues": "이슈 수",
    "issues_by_level": "품질 이슈(오류/경고/참고)",
    "example_message": "예시 내용",
    "errors": "오류 수",
    "warnings": "경고 수",
    "infos": "참고 수",
    "top_code": "가장 많은 이슈",
    "kinds": "이슈 종류 수",
    "expectations": "검증 규칙 수",
    "passed": "통과",
    "failed": "실패",
    "template_rows": "서식(템플릿) 행 수",
    "attachment_rows": "첨부파일 현황 행 수",
    "attachment_cameras": "첨부파일 카메라 대수",
    "on_map": "지도 표시 지점 수",
    "off_map": "지도 밖 지점 수",
    "at_shared_spots": "10곳 이상 같은 좌표 지점 수",
}

# Where a column means something else in one table (HOMONYMS, and the standard data's own
# headers for the columns it shares with the policy side).
TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "contacts": {"name": "성명", "role": "역할", "title": "직위", "phone": "연락처"},
    "contractors": {"name": "수탁업체명", "phone": "연락처"},
    "quality_issues": {"level": "심각도"},
    "policy_versions": {
        "valid_from": "이 판의 첫 수집 시각",
        "valid_to": "다음 판의 수집 시각",
        "captures": "연속 수집 횟수",
    },
    "cameras": {"is_template": "서식(템플릿) 행 여부"},
    "captures": {"url": "URL", "status": "HTTP 상태"},
    "standard_points": {
        c: STANDARD_HEADERS[c]
        for c in ("camera_count", "phone", "purpose", "retention_days", "latitude", "longitude")
    },
    "crawl_reports": {"attachments": "첨부파일 수집 수", "policies": "방침 수집 수"},
    "retention_by_institution": {"retention_days_max": "보관기간 최대(일, 방침·행 중 긴 쪽)"},
    "retention_over_30_days": {"retention_days_max": "보관기간 최대(일, 방침·행 중 긴 쪽)"},
    "standard_by_institution": {
        "name": "기관명(또는 관리기관명)",
        "cameras": "카메라 대수 합계",
        "retention_days": "보관일수별 지점 수",
        "reference_date": "데이터기준일자(최신)",
        "capture_sha256": "표준데이터 원본 SHA-256",
    },
    "retention_by_source": {"standard_points": "보관일수 기재 표준데이터 지점 수"},
    "item_coverage": {"name": "기관명(당시)"},
}
TABLE_COLUMNS["standard_current"] = TABLE_COLUMNS["standard_points"]

VALUES: dict[str, dict[str, str]] = {
    # institutions.level
    "institution_level": {
        "sido": "광역",
        "si": "시",
        "gun": "군",
        "gu": "구",
        "other": "기타 기관",
    },
    # the two tiers of local government, for filters and totals (`tier_label`)
    "institution_tier": {
        "sido": "광역",
        "si": "기초",
        "gun": "기초",
        "gu": "기초",
        "other": "기타 기관",
    },
    # quality_issues.level
    "issue_level": {"error": "오류", "warning": "경고", "info": "참고"},
    # `level` of either table: the two sets of values do not overlap
    "level": {},
    "severity": {"error": "오류", "warning": "경고"},
    # the tables validation checks (validation_results.table_name)
    "table_name": {
        "cameras": "방침의 설치 현황",
        "policies": "운영·관리 방침",
        "standard_points": "전국CCTV표준데이터",
        "contacts": "담당자",
        "contractors": "수탁업체",
        "quality_issues": "품질 이슈",
    },
    "stage": {"crawl": "수집", "parse": "해석", "build": "구축", "standard": "표준데이터"},
    "recording_hours": {"24h": "24시간", "scheduled": "시간 지정", "none": "녹화 안 함"},
    "device_type": {"fixed": "고정형", "mobile": "이동형"},
    "device_scope": {"fixed": "고정형", "mobile": "이동형", "both": "고정형·이동형"},
    "source_kind": {"page": "방침 본문", "attachment": "첨부파일"},
    "route": {
        "override": "지정 URL",
        "board": "게시판 첨부",
        "privacy_page": "개인정보 처리방침",
        "sitemap": "사이트맵",
        "frame": "프레임",
        "redirect": "리다이렉트",
        "script_link": "스크립트 링크",
        "image_link": "이미지 링크",
        "rendered": "브라우저 렌더링",
        "link": "링크",
    },
    "reason": {
        "needs_js": "스크립트로만 표시",
        "blocked_user_agent": "수집기 차단(403)",
        "browser_unsupported": "브라우저 미지원 안내",
        "robots": "robots.txt 금지",
        "not_a_policy": "방침이 아닌 페이지",
        "http_status": "HTTP 오류",
        "timeout": "시간 초과",
        "redirect_loop": "리다이렉트 반복",
        "fetch_failed": "수집 실패",
        "request_refused": "요청 거부(허용되지 않는 주소)",
        "page_cap": "요청 한도 소진",
        "no_link": "방침 링크 없음",
        "render_failed": "렌더링 실패",
        "incomplete": "수집 미완료",
    },
    "capture_role": {
        "homepage": "홈페이지",
        "redirect": "리다이렉트 페이지",
        "frame": "프레임 페이지",
        "script": "사이트 스크립트",
        "sitemap": "사이트맵",
        "privacy": "개인정보 처리방침",
        "policy": "운영·관리 방침",
        "policy_raw": "방침(원본)",
        "render": "렌더링 요청",
        "attachment": "첨부파일",
        "robots": "robots.txt",
        "other": "기타",
        "import": "직접 가져온 파일",
        "standard": "표준데이터",
    },
    "record_type": {
        "response": "응답",
        "resource": "파일",
        "conversion": "렌더링 결과",
        "revisit": "재방문(동일 본문)",
    },
    "institution_identified_by": {
        "hint": "수집 대상 기관코드",
        "registry_host": "등록된 도메인",
        "registry_parent_host": "등록된 상위·하위 도메인",
        "self_naming": "본문의 자기 호칭",
        "title": "제목",
        "footer": "하단 저작권 문구",
        "dimension_name": "본문의 기관명",
    },
    "institution_confidence": {"high": "높음", "medium": "보통", "low": "낮음"},
    "flag": {
        "ok": "정상",
        "no_policy": "방침 없음",
        "no_standard": "표준데이터 없음",
        "policy_below_half": "방침 대수가 표준데이터의 절반 미만",
        "standard_exceeds_policy": "표준데이터가 방침보다 20% 넘게 많음",
    },
    "said_by": {"policy": "방침", "rows": "카메라 행", "both": "방침·카메라 행"},
    "schema_generation": {
        "G1": "1세대(2017–19)",
        "G2": "2세대(2022–24)",
        "G3": "3세대(2024)",
        "G4": "4세대(2025–)",
        "api": "API",
        "partial": "일부 컬럼",
    },
    "boolean": {"True": "예", "False": "아니오"},
    # the data dictionary's units (domain.fields.doc(..., unit))
    "unit": {
        "days": "일",
        "cameras": "대",
        "rows": "행",
        "points": "지점",
        "ratio": "비율",
        "items": "항목 수",
        "item numbers": "항목 번호",
        "issues": "건",
        "pages": "페이지",
        "files": "파일",
        "captures": "수집 횟수",
        "responses": "응답 수",
        "seconds": "초",
        "bytes": "바이트",
        "degrees (WGS84)": "도(WGS84)",
        "UTC": "UTC 시각",
    },
}
ISSUE = "issue"  # a column whose values are quality-issue codes: labelled by `issue_title`
# Which vocabulary a column's values use.
VALUES["level"] = VALUES["institution_level"] | VALUES["issue_level"]
VALUE_KINDS: dict[str, str] = {
    "level": "level",
    "institution_level": "institution_level",
    "issue_level": "issue_level",
    "severity": "severity",
    "table_name": "table_name",
    "stage": "stage",
    "recording_hours": "recording_hours",
    "device_type": "device_type",
    "device_scope": "device_scope",
    "source_kind": "source_kind",
    "route": "route",
    "reason": "reason",
    "role": "capture_role",
    "capture_role": "capture_role",
    "record_type": "record_type",
    "institution_identified_by": "institution_identified_by",
    "institution_confidence": "institution_confidence",
    "flag": "flag",
    "said_by": "said_by",
    "over_30_said_by": "said_by",
    "schema_generation": "schema_generation",
    "code": ISSUE,
    "problem_kinds": ISSUE,
    "top_code": ISSUE,
}
# Columns whose missing value is a fact the policy does not state (미기재), not absent data.
STATED_BY_POLICY = frozenset(
    {
        "recording_hours",
        "retention_days",
        "retention_days_min",
        "retention_days_max",
        "stated_retention_days_min",
        "stated_retention_days_max",
        "storage_locations",
        "storage_location",
        "legal_basis",
        "enacted_on",
        "revised_on",
        "stated_total",
    }
)

# The quality-issue codes the pipeline emits (grep: `Issue("level", "code"`, the crawl
# findings of warehouse/build.py, the standard-data checks of warehouse/standard/checks.py).
ISSUE_TITLES: dict[str, str] = {
    # crawl (the crawl log)
    "fetch_failed": "페이지를 가져오지 못함",
    "request_failed": "요청 실패",
    "http_error": "HTTP 오류 응답",
    "policy_not_found": "운영·관리 방침을 찾지 못함",
    "request_refused": "허용되지 않는 주소라 요청하지 않음",
    "redirect_offsite": "기관 밖 주소로 리다이렉트",
    "page_cap_reached": "사이트 요청 한도 도달",
    "not_a_policy": "방침 링크가 방침이 아닌 페이지로 연결",
    "policy_needs_js": "방침이 스크립트로만 표시됨",
    "blocked_user_agent": "사이트가 수집기를 차단",
    "browser_unsupported": "브라우저 미지원 안내 페이지",
    "render_timeout": "페이지 렌더링 시간 초과",
    "render_failed": "페이지 렌더링 실패",
    "render_unavailable": "렌더링용 브라우저 없음",
    # parse (one document)
    "document_unreadable": "문서를 읽을 수 없음",
    "encoding_lossy": "문자 인코딩 일부 손상",
    "nul_characters": "문서에 NUL 문자 포함",
    "columns_truncated": "열이 너무 많아 일부만 읽음",
    "tables_truncated": "표가 너무 많아 일부만 읽음",
    "html_too_deep": "요소 중첩이 너무 깊어 페이지 일부를 읽지 못함",
    "formula_error": "수식 오류 셀",
    "formula_uncached": "계산값이 저장되지 않은 수식 셀",
    "not_an_inventory": "설치 현황이 아닌 표",
    "unmapped_column": "알 수 없는 열",
    "count_unparsed": "카메라 대수를 읽을 수 없음",
    "count_spans_rows": "대수가 여러 행에 걸쳐 기재됨",
    "total_row_by_sum": "위 행들의 합과 같아 합계 행으로 봄",
    "total_row_by_unlabelled": "이름 없는 마지막 행을 합계로 봄",
    "retention_missing": "보관기간 미기재",
    "retention_unparsed": "보관기간을 읽을 수 없음",
    "retention_absurd": "보관기간이 비현실적",
    "hours_unparsed": "촬영시간을 읽을 수 없음",
    "purpose_unmapped": "설치 목적을 분류할 수 없음",
    "stated_total_mismatch": "적힌 합계와 행 합계가 다름",
    "stated_totals_differ": "방침에 적힌 합계들이 서로 다름",
    "template_inventory": "설치 현황이 빈 서식(템플릿)",
    "inventory_elsewhere": "설치 현황이 다른 곳에 있다고 안내",
    "no_inventory": "설치 현황 없음",
    "places_without_counts": "설치 장소만 있고 대수 없음",
    "institution_unidentified": "기관을 식별하지 못함",
    "institution_mismatch": "문서의 기관명이 수집 대상과 다름",
    "issues_truncated": "이슈가 너무 많아 일부만 기록",
    # build (across documents)
    "attachment_not_archived": "첨부파일이 보관되지 않음",
    "aggregate_total": "집계표 합계 없음",
    "aggregate_total_mismatch": "집계표 합계가 항목 합과 다름",
    # standard (the national standard data)
    "standard_unreadable": "표준데이터 파일을 읽을 수 없음",
    "header_contract": "표준데이터 머리글이 표준과 다름",
    "row_width_mismatch": "행의 칸 수가 머리글과 다름",
    "duplicate_key": "관리번호 중복",
    "coord_placeholder": "좌표가 자리표시 값",
    "coord_zero": "좌표가 0",
    "coord_unparsed": "좌표를 읽을 수 없음",
    "coord_swapped": "위도와 경도가 뒤바뀜",
    "coord_out_of_korea": "좌표가 국내 범위 밖",
    "coord_shared_point": "여러 지점이 같은 좌표",
    "retention_zero_unknown": "보관일수 0(미상으로 봄)",
    "retention_drag_fill": "보관일수가 끌어 채운 연속값",
    "retention_out_of_range": "보관일수가 허용 범위 밖",
    "installed_excel_serial": "설치연월이 엑셀 일련번호",
    "installed_implausible": "설치연월이 비현실적",
    "installed_unparsed": "설치연월을 읽을 수 없음",
    "installed_format": "설치연월 형식이 표준과 다름",
    "installed_after_reference": "설치연월이 데이터기준일자보다 늦음",
    "installed_future": "설치연월이 미래",
    "direction_is_phone": "촬영방면정보에 전화번호",
    "camera_count_missing": "카메라대수 미기재",
    "camera_count_unparsed": "카메라대수를 읽을 수 없음",
    "camera_count_nonpositive": "카메라대수가 0 이하",
    "camera_count_high": "카메라대수가 지나치게 많음",
    "phone_unparsed": "전화번호를 읽을 수 없음",
    "pixels_out_of_range": "카메라화소수가 범위 밖",
    "purpose_missing": "설치목적구분 미기재",
    "reference_date_future": "데이터기준일자가 미래",
    "reference_date_unparsed": "데이터기준일자를 읽을 수 없음",
    "institution_ambiguous": "관리기관이 여러 기관에 해당",
    "institution_code_expired": "폐지된 기관코드",
    "institution_code_mismatch": "개방자치단체코드와 관리기관명이 다른 기관",
    "institution_from_address": "관리기관을 주소로 추정",
    "institution_unresolved": "관리기관을 확인하지 못함",
}


def column_label(table: str, column: str) -> str:
    """The Korean name of `column` in `table` (a table or a view); KeyError for a column the
    vocabulary does not know, so a new column cannot slip out under its English name."""
    named = TABLE_COLUMNS.get(table, {}).get(column) or COLUMNS.get(column)
    if named is None:
        raise KeyError(f"no Korean name for {table}.{column}: add it to warehouse/labels.py")
    return named


def is_missing(value: object) -> bool:
    """None, NaN and NaT (pandas' missing values) are all 'nothing there'."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in {"NaTType", "NAType"}


def unit_label(unit: str) -> str:
    """A data-dictionary unit ("days", "cameras") in Korean; `unit` as a column name is the
    camera row's 관리 부서, so units have their own lookup."""
    return VALUES["unit"].get(unit, unit)


def value_label(column: str, value: object) -> str:
    """`value` of `column` as a person reads it: Korean for categorical values, 예/아니오 for
    booleans, integers without ".0", "미기재" or "–" when missing (see the module docstring)."""
    if isinstance(value, list | tuple):
        shown = [value_label(column, v) for v in value if not is_missing(v)]
        return ", ".join(shown) if shown else value_label(column, None)
    if is_missing(value):
        return NOT_STATED if column in STATED_BY_POLICY else MISSING
    if isinstance(value, bool):
        return VALUES["boolean"][str(value)]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    kind = VALUE_KINDS.get(column)
    text = str(value)
    if kind == ISSUE:
        return issue_title(text)
    if kind is not None:
        return VALUES[kind].get(text, text)
    return text


def tier_label(level: str | None) -> str:
    """광역 or 기초 (or 기타 기관) for an institution's `level`: the tier a filter groups by."""
    if is_missing(level):
        return MISSING
    return VALUES["institution_tier"].get(str(level), str(level))


def item_label(number: int, *, short: bool = False) -> str:
    """필수 기재사항 `number` (1–8) as "제n호 …", the law's wording or its short form."""
    return f"제{number}호 {(ITEM_SHORT if short else ITEMS)[number]}"


def issue_title(code: str) -> str:
    """The Korean title of a quality-issue code; the code itself when it has none."""
    return ISSUE_TITLES.get(code, code)
