"""Five CMS looks for the synthetic sites: the same facts in different markup.

Real sites publish one legal text through eGov tables, numbered articles, per-department
tables with merged cells, accordions and unfilled templates with an attachment; a parser
that reads all five here has met the shapes it meets in the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

__all__ = ["TEMPLATES", "Facts", "Paths", "Template"]

InventoryItem = tuple[str, str, str, int, str, str]  # dept, purpose, place, count, hours, kept


@dataclass(frozen=True)
class Facts:
    """What one institution's policy says, before any markup."""

    name: str
    short_name: str
    inventory: tuple[InventoryItem, ...]
    manager: str
    phone: str
    effective: date
    file_id: str

    @property
    def total(self) -> int:
        return sum(item[3] for item in self.inventory)


@dataclass(frozen=True)
class Paths:
    policy: str
    privacy: str
    sitemap: str
    attachment: str


def _sections(facts: Facts) -> list[tuple[str, list[str]]]:
    purposes = sorted({item[1] for item in facts.inventory})
    kept = sorted({item[5] for item in facts.inventory})
    return [
        (
            "영상정보처리기기의 설치 근거 및 설치 목적",
            [
                f"{facts.short_name}은(는) 「개인정보 보호법」 제25조제1항에 따라 다음의 목적으로 "
                "영상정보처리기기를 설치·운영합니다.",
                *purposes,
            ],
        ),
        (
            "설치 대수, 설치 위치 및 촬영 범위",
            [f"총 {facts.total}대를 운영하고 있으며, 세부 현황은 아래 표 및 붙임 파일과 같습니다."],
        ),
        (
            "관리책임자 및 접근권한자",
            [f"관리책임자: {facts.manager} (연락처 {facts.phone})", "접근권한자: 소관 부서 담당자"],
        ),
        (
            "영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법",
            [
                f"촬영시간: 24시간, 보관기간: 촬영일로부터 {', '.join(kept)}",
                "보관장소: 소관 부서 관제실",
            ],
        ),
        (
            "정보주체의 영상정보 열람 등 요구에 대한 조치",
            [
                "개인영상정보 열람·존재확인 청구서를 관리책임자에게 제출하시면 "
                "10일 이내에 조치합니다."
            ],
        ),
        ("방침의 시행일", [f"이 방침은 {facts.effective:%Y년 %m월 %d일}부터 시행합니다."]),
    ]


def _items(items: list[str], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in items) + f"</{tag}>"


def _inventory_table(facts: Facts) -> str:
    rows = "".join(
        f"<tr><td>{escape(d)}</td><td>{escape(p)}</td><td>{escape(pl)}</td><td>{n}</td>"
        f"<td>{escape(h)}</td><td>{escape(k)}</td></tr>"
        for d, p, pl, n, h, k in facts.inventory
    )
    return (
        '<table class="tbl"><caption>영상정보처리기기 설치 현황</caption><thead><tr>'
        "<th>관리부서</th><th>설치목적</th><th>설치장소</th><th>설치대수</th><th>촬영시간</th>"
        f"<th>보관기간</th></tr></thead><tbody>{rows}</tbody></table>"
    )


class Template:
    """The base look: shared chrome; subclasses change links, paths and the policy body."""

    name = "base"
    link_text = "영상정보처리기기 운영·관리 방침"

    def paths(self, facts: Facts) -> Paths:
        raise NotImplementedError

    def attachment_link(self, facts: Facts, paths: Paths) -> str:
        return (
            f'<a href="{escape(paths.attachment)}" class="file_down">'
            f"붙임 {escape(facts.short_name)} 영상정보처리기기 설치현황 내려받기</a>"
        )

    def page(self, facts: Facts, *, declared: str, title: str, body: str) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="ko">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">\n'
            f"<title>{title} | {escape(facts.name)}</title>\n</head>\n<body>\n"
            f'<div id="header"><h1><a href="/">{escape(facts.name)}</a></h1></div>\n'
            f'<div id="contents">\n{body}\n</div>\n</body>\n</html>\n'
        )

    def footer(self, paths: Paths, policy_link: bool) -> str:
        links = [(paths.privacy, "개인정보처리방침")]
        if policy_link:
            links.append((paths.policy, self.link_text))
        links += [("/terms.do", "이용약관"), (paths.sitemap, "사이트맵")]
        items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in links)
        return f'<div id="footer"><ul class="foot_menu">{items}</ul></div>'

    def homepage(self, facts: Facts, paths: Paths, *, policy_link: bool) -> str:
        return (
            f"<h2>{escape(facts.name)}에 오신 것을 환영합니다</h2>"
            '<ul class="gnb"><li><a href="/minwon.do">민원안내</a></li>'
            '<li><a href="/news.do">알림소식</a></li></ul>\n' + self.footer(paths, policy_link)
        )

    def sitemap(self, facts: Facts, paths: Paths, *, policy_link: bool) -> str:
        links = [(paths.privacy, "개인정보 처리방침")]
        if policy_link:
            links.append((paths.policy, self.link_text))
        items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in links)
        return f'<h2>사이트맵</h2><div class="sitemap"><h3>누리집 안내</h3><ul>{items}</ul></div>'

    def privacy(self, facts: Facts, policy_section: str) -> str:
        extra = ""
        if policy_section:
            extra = (
                '<h3 id="cctv">제12조 영상정보처리기기 설치·운영</h3>'
                f'<div class="cctv_section">{policy_section}</div>'
            )
        return (
            "<h2>개인정보 처리방침</h2>"
            f"<p>{escape(facts.name)}은(는) 정보주체의 개인정보를 보호하기 위하여 다음과 같이 "
            "개인정보 처리방침을 수립·공개합니다.</p>"
            "<h3>제1조 개인정보의 처리 목적</h3><p>민원 처리, 행정 서비스 제공</p>" + extra
        )

    def policy(self, facts: Facts, paths: Paths) -> str:
        raise NotImplementedError


class EgovTable(Template):
    """eGovFrame portal: contents.do?mId=…, the policy as a 구분/내용 table."""

    name = "egov"

    def paths(self, facts: Facts) -> Paths:
        return Paths(
            policy="/portal/contents.do?mId=0401140000",
            privacy="/portal/contents.do?mId=0401130000",
            sitemap="/portal/sitemap.do",
            attachment=f"/cmm/fms/FileDown.do?atchFileId={facts.file_id}&fileSn=0",
        )

    def policy(self, facts: Facts, paths: Paths) -> str:
        rows = "".join(
            f'<tr><th scope="row">{escape(h)}</th><td>{_items(items)}</td></tr>'
            for h, items in _sections(facts)
        )
        return (
            f"<h3>{escape(self.link_text)}</h3>"
            '<table class="tbl_type"><caption>영상정보처리기기 운영·관리 방침</caption>'
            f"<colgroup><col><col></colgroup><tbody>{rows}</tbody></table>"
            + _inventory_table(facts)
            + f'<p class="file">{self.attachment_link(facts, paths)}</p>'
        )


class NumberedArticles(Template):
    """Numbered headings with ordered lists, the common 'contents.do?key=' CMS."""

    name = "numbered"
    link_text = "CCTV 운영·관리 방침"

    def paths(self, facts: Facts) -> Paths:
        return Paths(
            policy="/main/contents.do?key=2285",
            privacy="/main/contents.do?key=2284",
            sitemap="/main/sitemap.do",
            attachment=f"/common/FileDown.do?atchFileId={facts.file_id}&fileSn=1",
        )

    def footer(self, paths: Paths, policy_link: bool) -> str:
        privacy = escape(paths.privacy)
        links = f'<a class="privacy" href="{privacy}"><strong>개인정보처리방침</strong></a>'
        if policy_link:
            links += f'<a href="{escape(paths.policy)}">{escape(self.link_text)}</a>'
        return (
            f'<footer class="footer"><nav class="policy-links">{links}'
            f'<a href="{escape(paths.sitemap)}">사이트맵</a></nav></footer>'
        )

    def policy(self, facts: Facts, paths: Paths) -> str:
        parts = [
            f"<h4>{n}. {escape(h)}</h4>{_items(items, 'ol')}"
            for n, (h, items) in enumerate(_sections(facts), start=1)
        ]
        parts.insert(2, _inventory_table(facts))
        return "".join(parts) + f"<p>{self.attachment_link(facts, paths)}</p>"


class DepartmentTable(Template):
    """Per-department table whose department cells span rows (rowspan)."""

    name = "dept_table"
    link_text = "영상정보처리기기운영방침"

    def paths(self, facts: Facts) -> Paths:
        return Paths(
            policy="/www/contents.do?key=5043",
            privacy="/www/contents.do?key=5042",
            sitemap="/www/sitemap.do?key=100",
            attachment=f"/www/FileDown.do?atchFileId={facts.file_id}&fileSn=2",
        )

    def footer(self, paths: Paths, policy_link: bool) -> str:
        links = f'<a href="{escape(paths.privacy)}"><span>개인정보처리방침</span></a>'
        if policy_link:
            links += (
                f'<a href="{escape(paths.policy)}" onclick="fnMenu(this);">'
                f"<span>{escape(self.link_text)}</span></a>"
            )
        return f'<div class="foot-link">{links}<a href="{escape(paths.sitemap)}">사이트맵</a></div>'

    def policy(self, facts: Facts, paths: Paths) -> str:
        rows = []
        for dept, purpose, place, count, hours, kept in facts.inventory:
            first = count // 2
            rows.append(
                f'<tr><td rowspan="2">{escape(dept)}</td><td rowspan="2">{escape(purpose)}</td>'
                f"<td>{escape(place)}</td><td>{first}</td>"
                f'<td rowspan="2">{escape(hours)}</td><td rowspan="2">{escape(kept)}</td></tr>'
            )
            rows.append(f"<tr><td>{escape(place)} 주변</td><td>{count - first}</td></tr>")
        table = (
            '<table class="dept"><thead><tr><th>관리부서</th><th>설치목적</th><th>설치장소</th>'
            f"<th>설치대수</th><th>촬영시간</th><th>보관기간</th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table>"
        )
        text = "".join(
            f"<h4>{escape(h)}</h4><p>{escape(' '.join(i))}</p>" for h, i in _sections(facts)
        )
        return text + table + f"<p>{self.attachment_link(facts, paths)}</p>"


class Accordion(Template):
    """Sections folded into a <dl> accordion, opened by script on real sites."""

    name = "accordion"
    link_text = "고정형 영상정보처리기기 운영·관리 방침"

    def paths(self, facts: Facts) -> Paths:
        return Paths(
            policy="/home/sub.do?menukey=7261",
            privacy="/home/sub.do?menukey=7260",
            sitemap="/home/sub.do?menukey=9999",
            attachment=f"/home/FileDown.do?atchFileId={facts.file_id}",
        )

    def footer(self, paths: Paths, policy_link: bool) -> str:
        items = f'<li class="point"><a href="{escape(paths.privacy)}">개인정보처리방침</a></li>'
        if policy_link:
            items += (
                f'<li><a href="{escape(paths.policy)}" title="{escape(self.link_text)}">'
                f"{escape(self.link_text)}</a></li>"
            )
        items += f'<li><a href="{escape(paths.sitemap)}">전체메뉴</a></li>'
        return f'<div class="footer_wrap"><ul class="util">{items}</ul></div>'

    def policy(self, facts: Facts, paths: Paths) -> str:
        entries = "".join(
            f'<dt><a href="#none" class="acc_btn">{escape(h)}</a></dt>'
            f'<dd style="display:none">{_items(items)}</dd>'
            for h, items in _sections(facts)
        )
        return (
            f'<dl class="accordion">{entries}</dl>'
            + _inventory_table(facts)
            + f'<div class="attach">{self.attachment_link(facts, paths)}</div>'
        )


class Placeholder(Template):
    """The ministry's model text with ○○ left unfilled; the real numbers are in the file."""

    name = "placeholder"
    link_text = "영상정보처리기기 관리방침"

    def paths(self, facts: Facts) -> Paths:
        return Paths(
            policy="/site/main/content/policy03",
            privacy="/site/main/content/policy01",
            sitemap="/site/main/sitemap",
            attachment=f"/site/main/file/FileDown.do?atchFileId={facts.file_id}&fileSn=0",
        )

    def footer(self, paths: Paths, policy_link: bool) -> str:
        links = f'<a href="{escape(paths.privacy)}">개인정보처리방침</a>'
        if policy_link:
            links += f' | <a href="{escape(paths.policy)}">{escape(self.link_text)}</a>'
        return f'<p class="copy">{links} | <a href="{escape(paths.sitemap)}">사이트맵</a></p>'

    def policy(self, facts: Facts, paths: Paths) -> str:
        return (
            f"<h3>{escape(self.link_text)}</h3>"
            "<p>○○시(이하 '본 기관'이라 함)는 영상정보처리기기 운영·관리 방침을 통해 본 기관에서 "
            "처리하는 영상정보가 어떠한 용도와 방식으로 이용·관리되고 있는지 알려드립니다.</p>"
            "<h4>1. 설치 근거 및 설치 목적</h4><p>○○○○ 목적으로 설치·운영합니다.</p>"
            "<h4>2. 설치 대수, 설치 위치 및 촬영 범위</h4>"
            '<table class="tbl"><tr><th>설치대수</th><th>설치위치</th><th>촬영범위</th></tr>'
            "<tr><td>○○대</td><td>○○○</td><td>○○○</td></tr></table>"
            "<h4>3. 관리책임자</h4><p>직책: ○○과장 (연락처: ○○○-○○○○)</p>"
            f"<p>세부 현황: {self.attachment_link(facts, paths)}</p>"
        )


TEMPLATES: tuple[Template, ...] = (
    EgovTable(),
    NumberedArticles(),
    DepartmentTable(),
    Accordion(),
    Placeholder(),
)
