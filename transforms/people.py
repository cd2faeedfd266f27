"""People and companies a policy names: 보호책임자, 관리책임자, 접근권한자, 담당자, and the
수탁업체 that operate cameras for the institution (시행령 제26조제2항).

Pages write them as tables (with or without a header row) and as lines ("관리책임자 :
안전도시과장 김태호 (042-606-6410)"); both are read by the same small grammar: a role,
then department, title and name tokens, then a phone.
"""

from __future__ import annotations

import re

from domain.text import compact, fold
from transforms.columns import map_header
from transforms.grid import Grid
from transforms.html.document import Document
from transforms.sections import CCTV, in_sections, is_general_privacy_policy
from transforms.values import find_phones, is_placeholder

ROLES = (
    ("보호책임자", re.compile(r"보호책임자")),
    ("관리책임자", re.compile(r"관리책임자|책임자|책임관")),
    ("접근권한자", re.compile(r"접근권한자|취급자|접근권자")),
    ("담당자", re.compile(r"담당자|관리담당|전담자")),
)
_MASK = "*＊○◯〇ㅇᄋOoXx"
_MASKED = re.compile(rf"[가-힣]\s*[{_MASK}](\s*[{_MASK}]){{0,2}}|[가-힣][{_MASK}][가-힣]")
_NAME = re.compile(r"[가-힣]{2,4}")
_TITLE_END = re.compile(
    r"(장|관|주무관|주임|담당|대리|사원|지도사|주사|서기|위원|이사|사무관|실장|팀원|직원|관리자)$"
)
_DEPARTMENT_END = re.compile(r"(과|실|팀|센터|국|소|부|단|처|본부|사업소|관제팀|계)$")
_PHONE_LABEL = re.compile(r"(연락처|전화번호|전화|☎|tel\.?|TEL\.?|Tel\.?)\s*[:：]?", re.I)
_LINE_ROLE = re.compile(
    r"^(?:[가-하][.)]|\d{1,2}[.)]|[①-⑳]|[-·ㆍ*※○●▶■□◦•])?\s*(?:현재\s*)?"
    r"(?:개인영상정보\s*|영상정보\s*)?(?P<role>보호\s?책임자|관리\s?책임자|접근\s?권한자|관리\s?담당자|담당자|취급자)\s*[:：]\s*"
    r"(?P<rest>.+)$"
)
# A person named in a sentence: "관리책임자는 경영지원팀장 유경호(☎ 033-760-9410)이며",
# "책임관은 학교장(☎ 031-755-0711)이며, 운영담당자는 행정실 주무관(☎ 031-755-0714)입니다".
_SENTENCE_ROLE = re.compile(
    r"(?P<role>보호\s?책임자|관리\s?책임자|책임관|접근\s?권한자|운영\s?담당자|관리\s?담당자|담당자)"
    r"(?:은|는)\s*(?P<rest>[^,.]{1,40}?\(\s*(?:☎|TEL\.?|전화)?\s*[\d\-) ]{7,16}\))",
    re.I,
)
_CONTRACTOR_KEY = re.compile(r"(수탁업체|수탁자|수탁기관|수탁사|위탁업체|위탁사|위탁업자|업체명)")
_CONTRACT_CONTEXT = re.compile(r"위탁|수탁")
_PHONE_SPAN = re.compile(
    r"\(?\s*0\d{1,2}\s*[-)]\s*\d{3,4}\s*-\s*\d{4}\s*\)?|\(?\s*\d{3,4}-\d{4}\s*\)?"
)


def role_of(text: str) -> str | None:
    flat = compact(text)
    if not (
        "책임" in flat
        or "권한자" in flat
        or "권자" in flat
        or "취급자" in flat
        or "담당" in flat
        or "전담자" in flat
    ):
        return None  # every word of ROLES has one of these; most cells none
    for role, pattern in ROLES:
        if pattern.search(flat):
            return role
    return None


def is_masked_name(text: str) -> bool:
    """A real person's name published masked (서 * *, 김○○): kept, unlike 홍길동 or 0000."""
    return bool(_MASKED.fullmatch(fold(text)))


_MASKED_IN_TEXT = re.compile(
    rf"(?<![가-힣])[가-힣]\s*[{_MASK}](\s*[{_MASK}]){{0,2}}(?![가-힣{_MASK}])"
)


_MASK_GAP = re.compile(rf"(?<=[가-힣{_MASK}])\s+(?=[{_MASK}])")


def close_masks(text: str) -> str:
    """ "정 * *" → "정**": a masked name is one token, written without the gaps."""
    return _MASK_GAP.sub("", text)


def has_masked_name(text: str) -> bool:
    """A cell naming a masked person among other words ("이○○ 주무관", "김○○(330-3112)")."""
    return bool(_MASKED_IN_TEXT.search(fold(text)))


def _is_name(token: str) -> bool:
    return is_masked_name(token) or (
        bool(_NAME.fullmatch(token))
        and not _TITLE_END.search(token)
        and not _DEPARTMENT_END.search(token)
    )


def person(text: str, area_code: str | None) -> dict:
    """department, title, name and phone from "안전도시과 주무관 오세진 (042-606-6417)"."""
    phones = find_phones(text, area_code)
    before = _PHONE_SPAN.split(text, maxsplit=1)[0]
    before = _PHONE_LABEL.sub(" ", before).replace("/", " ").replace(",", " ")
    before = close_masks(before)
    tokens = [t.strip("()[]·-:：") for t in before.split()]
    tokens = [t for t in tokens if t]
    name = title = None
    if tokens and _is_name(tokens[-1]):
        name = tokens.pop()
    if tokens and (_TITLE_END.search(tokens[-1]) or len(tokens) == 1):
        title = tokens.pop()
    department = " ".join(tokens) or None
    return {
        "name": name,
        "title": title,
        "department": department,
        "phone": phones[0] if phones else None,
    }


def _is_placeholder_person(values: list[str]) -> bool:
    return any(is_placeholder(v) and not has_masked_name(v) for v in values if v)


def contacts_from_lines(doc: Document, area_code: str | None) -> list[dict]:
    found = []
    for block in doc.blocks:
        if block.kind != "line" or not _may_name_role(block.text):
            continue
        match = _LINE_ROLE.match(block.text)
        if not match:
            found.extend(_contacts_in_sentences(block.text, area_code))
            continue
        if not find_phones(match.group("rest"), area_code):
            continue
        if _is_placeholder_person(match.group("rest").split()):
            continue
        role = role_of(match.group("role")) or "담당자"
        for rest in _one_per_phone(match.group("rest"), area_code):
            found.append({"role": role, **person(rest, area_code)})
    return found


def _may_name_role(text: str) -> bool:
    """Whether a line holds a word every role of `_LINE_ROLE` and `_SENTENCE_ROLE` has:
    most lines have none, and substring tests cost a fraction of the patterns."""
    return "책임" in text or "권한자" in text or "담당자" in text or "취급자" in text


def _one_per_phone(text: str, area_code: str | None) -> list[str]:
    """ "재무과장 (041-830-2151), 문화관광과장 (041-830-2251)": one person per number; a
    line with one number (or numbers sharing a prefix, 760-4154, 4171) is one person."""
    parts = re.split(r"(?<=\))\s*[,/]\s*(?=[^\d\s])", text)
    if len(parts) > 1 and all(find_phones(p, area_code) for p in parts):
        return parts
    return [text]


def _contacts_in_sentences(text: str, area_code: str | None) -> list[dict]:
    if not ("책임" in text or "권한자" in text or "담당자" in text):
        return []  # every role _SENTENCE_ROLE knows has one of these words; most lines none
    found = []
    for m in _SENTENCE_ROLE.finditer(text):
        if _is_placeholder_person(m.group("rest").split()):
            continue
        record = person(m.group("rest"), area_code)
        if record["phone"]:
            found.append({"role": role_of(m.group("role")) or "담당자", **record})
    return found


_HEADER_FIELDS = (
    ("name", re.compile(r"^(이름|성명|담당자명?)$")),
    ("title", re.compile(r"^(직위|직급|직책)$")),
    ("department", re.compile(r"^(소속|부서|부서명|소속부서|기관명부서|기관명|담당부서)$")),
    ("phone", re.compile(r"^(연락처|전화번호|전화|연락처전화)$")),
)


def _role_column(grid: Grid, start: int) -> int | None:
    best, best_hits = None, 0
    for col in range(grid.width):
        values = [row[col] for row in grid.rows[start:] if row[col].strip()]
        hits = sum(1 for v in values if len(compact(v)) <= 12 and role_of(v))
        if hits > best_hits and hits * 2 >= len(values):
            best, best_hits = col, hits
    return best


def contacts_from_grid(grid: Grid, area_code: str | None) -> list[dict]:
    """Rows with a role cell (관리책임자 | 이름 | 직위 | 소속 | 연락처), header or not."""
    if not grid.rows:
        return []
    start = grid.header_rows
    role_col = _role_column(grid, start)
    if role_col is None:
        return _roles_across(grid, area_code)
    headers: dict[int, str] = {}
    for col in range(grid.width):
        key = compact(" ".join(dict.fromkeys(r[col] for r in grid.header))).replace("/", "")
        for name, pattern in _HEADER_FIELDS:
            if pattern.match(key) and name not in headers.values():
                headers[col] = name
    contacts = []
    for row in grid.rows[start:]:
        role = role_of(row[role_col]) if len(compact(row[role_col])) <= 12 else None
        if role is None:
            continue
        others = [
            (col, fold(row[col]))
            for col in range(grid.width)
            if col != role_col and row[col].strip()
        ]
        if _is_placeholder_person([v for _, v in others]):
            continue
        if headers:
            record = {"name": None, "title": None, "department": None, "phone": None}
            for col, value in others:
                if col in headers:
                    record[headers[col]] = close_masks(value)
            phones = find_phones(record["phone"], area_code)
            record["phone"] = phones[0] if phones else None
            if record["name"] and " " in record["name"].strip():
                # "학교장 반석우" under 담당자: title and name in one cell.
                said = person(record["name"], area_code)
                record = {k: record[k] if k != "name" and record[k] else said[k] for k in record}
        else:
            record = _by_shape([v for _, v in others], area_code)
        if record["phone"] or record["name"] or record["title"]:
            contacts.append({"role": role, **record})
    return contacts


def _roles_across(grid: Grid, area_code: str | None) -> list[dict]:
    """Roles as column headers (관리 책임자 | 접근 권한자) over cells that each hold one
    person: "사무국장 제갈소연 (☎051-752-0391)"."""
    if grid.header_rows != 1:
        return []
    roles = {c: role_of(h) for c, h in enumerate(grid.rows[0]) if len(compact(h)) <= 12}
    roles = {c: r for c, r in roles.items() if r}
    if not roles or len(roles) * 2 < grid.width:
        return []
    contacts = []
    for row in grid.rows[1:]:
        for col, role in roles.items():
            cell = fold(row[col])
            if not cell or _is_placeholder_person(cell.split()):
                continue
            record = person(cell, area_code)
            if record["phone"] or record["name"]:
                contacts.append({"role": role, **record})
    return contacts


def _by_shape(values: list[str], area_code: str | None) -> dict:
    record: dict = {"name": None, "title": None, "department": None, "phone": None}
    for value in values:
        phones = find_phones(value, area_code)
        if phones and record["phone"] is None:
            # "경영지원본부장 설재훈 (02-2290-6010)": the person and the number in one cell.
            said = person(value, area_code)
            record = {k: record[k] or said[k] for k in record}
        elif _is_name(value) and record["name"] is None:
            record["name"] = value
        elif _TITLE_END.search(value) and record["title"] is None:
            record["title"] = value
        elif record["department"] is None:
            record["department"] = value
    return record


def _contractors_in_text(text: str, area_code: str | None) -> list[dict]:
    """ "(주)한라정보통신(031-946-2280)", "남도통신(주) / 061-722-1100", several per line, or
    a name and its number in separate parts ("(주)다산정보기술, 연락처 031-590-8800")."""
    found, pending = [], None
    for part in re.split(r",\s*(?=[^\d\s])|;", text):
        phones = find_phones(part, area_code)
        name = _PHONE_SPAN.split(part, maxsplit=1)[0] if phones else part
        name = _balanced(fold(_PHONE_LABEL.sub(" ", name)).rstrip(" :-·/(,").lstrip(" :-·"))
        if not phones:
            pending = name or pending
            continue
        name = name or pending
        pending = None
        if name and len(name) <= 40 and not is_placeholder(name):
            found.append({"name": name, "phone": phones[0]})
    return found


# A company named in a sentence: "(주)치악정보통신", "남도통신(주)", "㈜가야정보통신".
_COMPANY = re.compile(
    r"(?:\(주\)|㈜|주식회사|\(유\)|\(재\))\s?[가-힣A-Za-z0-9&]+|"
    r"[가-힣A-Za-z0-9&]+(?<![는은를을가이에와과])\s?(?:\(주\)|㈜|주식회사)(?!\s?[가-힣A-Za-z])"
)
# Who runs the cameras itself names no contractor: "직영", "자체운영", "해당없음".
_NO_CONTRACTOR = re.compile(r"^(직영|자체|자체운영|자체관리|해당없음|없음|미위탁|-)$")


def _companies_in_sentence(text: str, area_code: str | None) -> list[dict]:
    """ "유지보수 업무를 (주)치악정보통신(033-745-2280)에 위탁": each company named, with
    the number written right after it."""
    found = []
    for m in _COMPANY.finditer(text):
        phones = find_phones(text[m.end() : m.end() + 24], area_code)
        found.append({"name": fold(m.group(0)), "phone": phones[0] if phones else None})
    return found


def _balanced(name: str) -> str:
    """ "(에이스캅스" of "수탁업체(에이스캅스, 1588-6390)": an opening bracket the name does
    not close is the sentence's, not the name's."""
    if name.startswith("(") and ")" not in name:
        return name[1:].strip()
    return name


def _contractor_cell(cell: str, area_code: str | None) -> dict:
    """A contractor cell, with the number written beside the name or not."""
    phones = find_phones(cell, area_code)
    if phones:
        found = _contractors_in_text(cell, area_code)
        if found:
            return found[0]
    return {"name": fold(cell), "phone": phones[0] if phones else None}


def _without_bare_names(found: list[dict]) -> list[dict]:
    """One entry per contractor: a name given once with its number and once without (an
    inventory's contractor column, the contact table's 수탁자 row) is the one with it."""
    numbered = {c["name"] for c in found if c["phone"]}
    unique = {(c["name"], c["phone"]): c for c in found if c["phone"] or c["name"] not in numbered}
    return list(unique.values())


def contractors(doc: Document, area_code: str | None) -> list[dict]:
    """The 수탁업체 of the CCTV (시행령 제26조). In a 개인정보 처리방침 that covers CCTV in
    one section, the contractors of its other processing (홈페이지 유지보수, 문자 발송)
    are not CCTV contractors unless the row or sentence names the cameras."""
    general = is_general_privacy_policy(doc)
    found: list[dict] = []
    in_context = False
    for block, path in in_sections(doc):
        outside = general and not CCTV.search(compact(path))
        if block.kind == "heading":
            in_context = "위탁" in block.text or "수탁" in block.text  # _CONTRACT_CONTEXT
        elif block.kind == "table" and block.grid is not None:
            found.extend(_contractors_from_grid(block.grid, area_code, require_cctv=outside))
        elif outside and not CCTV.search(block.flat):
            continue
        elif "탁" not in block.text and "업체명" not in block.text:
            # Neither a contractor key nor 위탁/수탁 (each has one of these words): only a
            # number in a contracting part of the page names a contractor.
            if in_context and len(find_phones(block.text, area_code)) == 1:
                found.extend(_contractors_in_text(block.text, area_code))
        elif key := _CONTRACTOR_KEY.search(block.text):
            value = block.text[key.end() :].lstrip(" :：")
            found.extend(_contractors_in_text(value, area_code))
            in_context = True
        elif _CONTRACT_CONTEXT.search(block.text):
            if find_phones(block.text, area_code) or len(block.text) > 40:
                found.extend(_companies_in_sentence(block.text, area_code))
            in_context = True
        elif in_context and len(find_phones(block.text, area_code)) == 1:
            found.extend(_contractors_in_text(block.text, area_code))
    found = [c for c in found if c["name"] and not _NO_CONTRACTOR.match(compact(c["name"]))]
    return _without_bare_names(found)


def _header_texts(grid: Grid) -> tuple[int, list[str]]:
    """(header rows, each column's header text); a grid without marked-up header rows
    is read with its first row as the header."""
    n = grid.header_rows or 1
    header = [
        compact(" ".join(dict.fromkeys(r[c] for r in grid.rows[:n]))) for c in range(grid.width)
    ]
    return n, header


def _contractors_from_grid(
    grid: Grid, area_code: str | None, require_cctv: bool = False
) -> list[dict]:
    """A contractor table (수탁업체 | 연락처 | 위탁업무), or an inventory with a contractor
    column (유지보수업체). With `require_cctv`, only rows whose words name the cameras."""
    n, header = _header_texts(grid)
    name_col = next(
        (
            i
            for i, h in enumerate(header)
            if map_header(h) == "contractor" or _CONTRACTOR_KEY.search(h)
        ),
        None,
    )
    if name_col is None:
        return _contractor_rows(grid, area_code, n)
    phone_col = next((i for i, h in enumerate(header) if "연락처" in h or "전화" in h), None)
    found = []
    for row in grid.rows[n:]:
        if any(is_placeholder(c) for c in row if c) or not row[name_col].strip():
            continue
        if require_cctv and not CCTV_WORDS.search(compact(" ".join(row))):
            continue
        record = _contractor_cell(row[name_col], area_code)
        if phone_col is not None and (phones := find_phones(row[phone_col], area_code)):
            record["phone"] = phones[0]
        found.append(record)
    return found


CCTV_WORDS = re.compile(r"영상정보처리기기|CCTV|폐쇄회로|영상정보|영상감시|카메라", re.I)


_CONTRACTOR_ROLE = re.compile(r"^(수탁자|수탁업체|수탁기관|수탁사|위탁업체|유지보수업체)(명)?$")


def _contractor_rows(grid: Grid, area_code: str | None, start: int) -> list[dict]:
    """The 수탁자 row of a contact table (구분 | 이름 | 직위 | 소속 | 연락처): the company
    in the name's place, its number in the phone's."""
    found = []
    for row in grid.rows[start:]:
        if not row or not _CONTRACTOR_ROLE.match(compact(row[0])):
            continue
        rest = [c for c in row[1:] if compact(c).strip("-–—·")]
        names = [c for c in rest if not find_phones(c, area_code) and not is_placeholder(c)]
        phones = find_phones(" ".join(rest), area_code)
        if names:
            found.append({"name": fold(names[0]), "phone": phones[0] if phones else None})
    return found
