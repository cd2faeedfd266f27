"""CMS looks for the synthetic sites: the same facts in different markup.

Real sites publish one legal text through eGov tables, numbered articles, per-department
tables with merged cells, accordions, unfilled templates with an attachment, 제N조 articles
and the small key/value tables of library and education-office CMSs; a parser that reads
all of them here has met the shapes it meets in the field.

A template writes the page chrome, the footer that links the policy and the policy body.
How the policy is linked (a plain link, a script call, an image, …) is decided per site in
`tests/national_web/routes.py`, which hands the template the link markup to place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

__all__ = ["TEMPLATES", "Facts", "Paths", "Template", "attr", "sections"]

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


def attr(value: str) -> str:
    """An attribute value as CMSs write it: `&`, `<` and `"` escaped, `'` left as is, so
    script calls such as `fn_egov_downFile('FILE_1','0')` read as they do on real sites."""
    return escape(value, quote=False).replace('"', "&quot;")


def sections(facts: Facts) -> list[tuple[str, list[str]]]:
    """The policy's articles as (heading, lines), in the order the Decree lists them."""
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

    def anchor(self, href: str, text: str, extra: str = "") -> str:
        """A footer link in this CMS's markup; `extra` is more attributes (onclick, …)."""
        return f'<a href="{attr(href)}"{extra}>{escape(text)}</a>'

    def attachment_link(self, facts: Facts, paths: Paths) -> str:
        return (
            f'<a href="{attr(paths.attachment)}" class="file_down">'
            f"붙임 {escape(facts.short_name)} 영상정보처리기기 설치현황 내려받기</a>"
        )

    def page(self, facts: Facts, *, declared: str, title: str, body: str, head: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="ko">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">\n'
            f"<title>{title} | {escape(facts.name)}</title>\n{head}</head>\n<body>\n"
            f'<div id="header"><h1><a href="/">{escape(facts.name)}</a></h1></div>\n'
            f'<div id="contents">\n{body}\n</div>\n</body>\n</html>\n'
        )

    def footer(self, paths: Paths, policy_links: Sequence[str]) -> str:
        links = [self.anchor(paths.privacy, "개인정보처리방침"), *policy_links]
        links += [self.anchor("/terms.do", "이용약관"), self.anchor(paths.sitemap, "사이트맵")]
        items = "".join(f"<li>{link}</li>" for link in links)
        return f'<div id="footer"><ul class="foot_menu">{items}</ul></div>'

    def homepage(
        self,
        facts: Facts,
        paths: Paths,
        *,
        policy_links: Sequence[str],
        news: str = "",
        footer: str | None = None,
    ) -> str:
        """The main page; `news` is a notice board block, `footer` replaces the footer."""
        return (
            f"<h2>{escape(facts.name)}에 오신 것을 환영합니다</h2>"
            '<ul class="gnb"><li><a href="/minwon.do">민원안내</a></li>'
            '<li><a href="/news.do">알림소식</a></li></ul>\n'
            + news
            + (self.footer(paths, policy_links) if footer is None else footer)
        )

    def sitemap(self, facts: Facts, paths: Paths, *, policy_links: Sequence[str]) -> str:
        links = [f'<a href="{attr(paths.privacy)}">개인정보 처리방침</a>', *policy_links]
        items = "".join(f"<li>{link}</li>" for link in links)
        return f'<h2>사이트맵</h2><div class="sitemap"><h3>누리집 안내</h3><ul>{items}</ul></div>'

    def privacy(self, facts: Facts, policy_section: str, *, after: str = "") -> str:
        """The 개인정보 처리방침; `policy_section` is the CCTV policy as one of its articles,
        `after` whatever the site adds below (a link to the CCTV policy, say)."""
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
            "<h3>제1조 개인정보의 처리 목적</h3><p>민원 처리, 행정 서비스 제공</p>" + extra + after
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
            for h, items in sections(facts)
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

    def footer(self, paths: Paths, policy_links: Sequence[str]) -> str:
        privacy = attr(paths.privacy)
        links = f'<a class="privacy" href="{privacy}"><strong>개인정보처리방침</strong></a>'
        links += "".join(policy_links)
        return (
            f'<footer class="footer"><nav class="policy-links">{links}'
            f'<a href="{attr(paths.sitemap)}">사이트맵</a></nav></footer>'
        )

    def policy(self, facts: Facts, paths: Paths) -> str:
        parts = [
            f"<h4>{n}. {escape(h)}</h4>{_items(items, 'ol')}"
            for n, (h, items) in enumerate(sections(facts), start=1)
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

    def anchor(self, href: str, text: str, extra: str = "") -> str:
        extra = extra or ' onclick="fnMenu(this);"'
        return f'<a href="{attr(href)}"{extra}><span>{escape(text)}</span></a>'

    def footer(self, paths: Paths, policy_links: Sequence[str]) -> str:
        links = f'<a href="{attr(paths.privacy)}"><span>개인정보처리방침</span></a>'
        links += "".join(policy_links)
        return f'<div class="foot-link">{links}<a href="{attr(paths.sitemap)}">사이트맵</a></div>'

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
            f"<h4>{escape(h)}</h4><p>{escape(' '.join(i))}</p>" for h, i in sections(facts)
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

    def anchor(self, href: str, text: str, extra: str = "") -> str:
        return f'<a href="{attr(href)}" title="{attr(text)}"{extra}>{escape(text)}</a>'

    def footer(self, paths: Paths, policy_links: Sequence[str]) -> str:
        items = f'<li class="point"><a href="{attr(paths.privacy)}">개인정보처리방침</a></li>'
        items += "".join(f"<li>{link}</li>" for link in policy_links)
        items += f'<li><a href="{attr(paths.sitemap)}">전체메뉴</a></li>'
        return f'<div class="footer_wrap"><ul class="util">{items}</ul></div>'

    def policy(self, facts: Facts, paths: Paths) -> str:
        entries = "".join(
            f'<dt><a href="#none" class="acc_btn">{escape(h)}</a></dt>'
            f'<dd style="display:none">{_items(items)}</dd>'
            for h, items in sections(facts)
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

    def footer(self, paths: Paths, policy_links: Sequence[str]) -> str:
        links = [f'<a href="{attr(paths.privacy)}">개인정보처리방침</a>', *policy_links]
        links.append(f'<a href="{attr(paths.sitemap)}">사이트맵</a>')
        return f'<p class="copy">{" | ".join(links)}</p>'

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


class Articles(Template):
    """제N조(…) articles under a revision note, the style of institutes and 공단 sites:
    a table of count and place per department, the rest as bulleted prose."""

    name = "articles"
    link_text = "영상정보처리기기 운영방침"

    def paths(self, facts: Facts) -> Paths:
        return Paths(
            policy="/kor/sub05_03.do",
            privacy="/kor/sub05_02.do",
            sitemap="/kor/sitemap.do",
            attachment=f"/kor/download.do?fileId={facts.file_id}",
        )

    def footer(self, paths: Paths, policy_links: Sequence[str]) -> str:
        items = f'<li class="red"><a href="{attr(paths.privacy)}">개인정보처리방침</a></li>'
        items += "".join(f"<li>{link}</li>" for link in policy_links)
        items += f'<li><a href="{attr(paths.sitemap)}">사이트맵</a></li>'
        return f'<div id="ft"><div class="ft_menu"><ul>{items}</ul></div></div>'

    def policy(self, facts: Facts, paths: Paths) -> str:
        enacted = facts.effective.replace(year=facts.effective.year - 3)
        rows = "".join(
            f"<tr><td>{escape(d)}</td><td>{escape(p)}</td><td>{n}대</td><td>{escape(pl)}</td>"
            f"<td>{escape(k)}</td></tr>"
            for d, p, pl, n, _h, k in facts.inventory
        )
        table = (
            '<div class="table-wrap"><table><thead><tr><th scope="col">관리부서</th>'
            '<th scope="col">설치목적</th><th scope="col">설치 대수</th>'
            '<th scope="col">설치 위치 및 촬영범위</th><th scope="col">보관기간</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
        articles = []
        for n, (heading, items) in enumerate(sections(facts), start=1):
            body = table if n == 2 else ""
            articles.append(
                f'<h3 class="title2">제{n}조({escape(heading)})</h3>'
                f'<ul class="bul1">{"".join(f"<li>{escape(i)}</li>" for i in items)}</ul>{body}'
            )
        return (
            f'<h2 class="title1">{escape(facts.name)} {escape(self.link_text)}</h2>'
            f'<p class="box1 txt-right">{facts.effective:%Y.%m.%d.} 개정<br>'
            f"{enacted:%Y.%m.%d.} 제정</p>"
            + "".join(articles)
            + f'<p class="file">{self.attachment_link(facts, paths)}</p>'
        )


class KeyValueTables(Template):
    """Library and education-office CMS (html.do?menu_idx=): numbered sections, each fact in
    a small table (설치 대수 | 설치 위치 및 촬영 범위 with a 총 row; 촬영시간 | 보관기간 |
    보관장소), and a print button written as a script link."""

    name = "keyvalue"
    link_text = "영상정보처리기기운영관리방침"

    def paths(self, facts: Facts) -> Paths:
        return Paths(
            policy="/gn/html.do?menu_idx=77",
            privacy="/gn/html.do?menu_idx=76",
            sitemap="/gn/html.do?menu_idx=1",
            attachment=f"/gn/board/download.do?fileSn=1&atchFileId={facts.file_id}",
        )

    def footer(self, paths: Paths, policy_links: Sequence[str]) -> str:
        links = [f'<a href="{attr(paths.privacy)}" class="privacy">개인정보처리방침</a>']
        links += [*policy_links, f'<a href="{attr(paths.sitemap)}">사이트맵</a>']
        spans = "".join(f"<span>{link}</span>" for link in links)
        return f'<div class="foot_info"><div class="foot_link">{spans}</div></div>'

    def policy(self, facts: Facts, paths: Paths) -> str:
        purposes = sorted({item[1] for item in facts.inventory})
        kept = sorted({item[5] for item in facts.inventory})
        places = "".join(
            f"<tr><td>{n} 대</td><td>{escape(d)} {escape(pl)}</td></tr>"
            for d, _p, pl, n, _h, _k in facts.inventory
        )
        return (
            f'<div class="html_box"><h3>{escape(self.link_text)}</h3>'
            '<p class="btn_print"><a href="javascript:window.print();">현재페이지 인쇄</a></p>'
            "<h4>1. 영상정보처리기기의 설치 근거 및 설치 목적</h4>"
            "<ul><li>설치근거<ul><li>개인정보보호법 제25조 제1항</li></ul></li>"
            f"<li>설치목적{_items(purposes)}</li></ul>"
            "<h4>2. 영상정보처리기기 관리책임자 및 접근권한자</h4>"
            "<table><thead><tr><th>구분</th><th>직위</th><th>연락처</th></tr></thead><tbody>"
            f"<tr><td>관리책임자</td><td>{escape(facts.manager)}</td>"
            f"<td>{escape(facts.phone)}</td></tr>"
            "<tr><td>접근권한자</td><td>소관 부서 담당자</td><td>-</td></tr></tbody></table>"
            "<h4>3. 영상정보처리기기의 설치 대수, 설치 위치 및 촬영범위</h4>"
            "<table><thead><tr><th>설치 대수</th><th>설치 위치 및 촬영 범위</th></tr></thead>"
            f"<tbody>{places}<tr><td>총 {facts.total} 대</td><td>-</td></tr></tbody></table>"
            "<h4>4. 영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법</h4>"
            "<table><thead><tr><th>촬영시간</th><th>보관기간</th><th>보관장소</th></tr></thead>"
            f"<tbody><tr><td>24시간</td><td>촬영일로부터 {escape(', '.join(kept))}</td>"
            "<td>소관 부서 관제실</td></tr></tbody></table>"
            f"<h4>5. 방침의 시행일</h4><p>이 방침은 {facts.effective:%Y년 %m월 %d일}부터 "
            "시행합니다.</p>"
            f'<p class="file">{self.attachment_link(facts, paths)}</p></div>'
        )


TEMPLATES: tuple[Template, ...] = (
    EgovTable(),
    NumberedArticles(),
    DepartmentTable(),
    Accordion(),
    Placeholder(),
    Articles(),
    KeyValueTables(),
)
