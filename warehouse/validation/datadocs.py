"""Build great-expectations Data Docs, then make every page render offline.

GE's pages pull Bootstrap, jQuery, bootstrap-table, Vega and Font Awesome from public CDNs
and the vendor's logo from its own server. Readers of these reports include regulators who
open them on machines that must not call out, so after GE's own site builder has written
the site, each page is rewritten:

- every `<script>` goes (they only drive the CDN libraries); the index tables that
  bootstrap-table would have drawn from inline data are rendered as plain HTML first;
- `<link>`, `<img>`, `<iframe>`… pointing off-machine are dropped (an image keeps its alt
  text), off-machine anchors become plain text, CSS `url(…)`/`@import` off-machine go;
- GE's marketing footer goes, and the stylesheet in `static/offline.css` is inlined, so
  tables, pass/fail colours and the "Failed only" filter work without any script;
- `<meta charset="utf-8">` comes first (Hangul) and a Content-Security-Policy forbids any
  script, connection or off-machine load, as a second line of defence;
- GE's English becomes Korean and warning-only suites read as warnings (`korean.py`); the
  pages of failing rows by institution (`pages.py`) are written beside GE's and linked from
  the index.

`offsite_references` re-reads the site afterwards; `build` refuses to hand back a site
that still names an off-machine resource.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from warehouse.validation import korean
from warehouse.validation.pages import FAILURES_PAGE, SUMMARY_PAGE

STATIC_DIR = Path(__file__).parent / "static"
GENERATED = ("index.html", "expectations", "validations", "static", SUMMARY_PAGE, FAILURES_PAGE)

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' file: data:; "
    "font-src 'self' file: data:; form-action 'none'; base-uri 'none'"
)

# Attributes through which a browser fetches something, by element.
_LOADING_ATTRS = ("src", "srcset", "href", "xlink:href", "poster", "data", "background", "action")
_LOADING_ATTRS += ("formaction", "codebase", "archive", "longdesc", "lowsrc", "ping", "manifest")
_DROP_IF_OFFSITE = {"link", "iframe", "frame", "embed", "object", "source", "track"}
_DROP_IF_OFFSITE |= {"video", "audio", "image", "use", "input", "base", "area"}

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\s+[^;]*;?", re.IGNORECASE)
_TABLE_CALL = re.compile(r"\$\('#([^']+)'\)\.bootstrapTable\(")


def is_offsite(url: str) -> bool:
    """Anything but a relative path, a fragment, `data:` or `file:` leaves the machine."""
    url = url.strip().replace("\\", "/")
    if url.startswith("//"):
        return True
    scheme = _SCHEME.match(url)
    return bool(scheme) and scheme.group(1).lower() not in ("data", "file")


def clean_css(css: str) -> str:
    def url(match: re.Match[str]) -> str:
        return "none" if is_offsite(match.group(2)) else match.group(0)

    def imports(match: re.Match[str]) -> str:
        target = _CSS_URL.search(match.group(0))
        quoted = re.search(r"['\"]([^'\"]*)['\"]", match.group(0))
        found = target.group(2) if target else quoted.group(1) if quoted else "//"
        return "" if is_offsite(found) else match.group(0)

    return _CSS_URL.sub(url, _CSS_IMPORT.sub(imports, css))


def _literal_at(text: str, start: int) -> tuple[Any, int]:
    """Read the Python literal (GE writes table data with `repr`) opening at `start`."""
    depth, quote, i = 0, "", start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
            if depth == 0:
                return ast.literal_eval(text[start : i + 1]), i + 1
        i += 1
    raise ValueError("unterminated literal")


def _table_spec(script: str) -> tuple[str, list[dict], list[dict]] | None:
    call = _TABLE_CALL.search(script)
    if not call:
        return None
    columns_at = script.index("columns:", call.end()) + len("columns:")
    columns, end = _literal_at(script, script.index("[", columns_at))
    data, _ = _literal_at(script, script.index("[", script.index("data:", end)))
    return call.group(1), columns, data


def _cell(tag: str, value: Any) -> Any:
    cell = lxml.html.Element(tag)
    parts = lxml.html.fragments_fromstring(str(value)) if value not in (None, "") else []
    for part in parts:
        if isinstance(part, str):
            cell.text = (cell.text or "") + part
        else:
            cell.append(part)
    return cell


def _static_table(table_id: str, columns: list[dict], data: list[dict]) -> Any:
    """The table bootstrap-table would have drawn, newest run first, rows linked as GE does."""
    table = lxml.html.Element(
        "table", id=table_id, attrib={"class": "table table-sm offline-table"}
    )
    head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for column in columns:
        head.append(_cell("th", column.get("title", column.get("field", ""))))
    body = etree.SubElement(table, "tbody")
    rows = sorted(data, key=lambda r: r.get("_run_time_sort", 0), reverse=True)
    fields = [c.get("field") for c in columns]
    linked = "run_time" if "run_time" in fields else fields[0] if fields else None
    for row in rows:
        tr = etree.SubElement(body, "tr")
        link = row.get("_table_row_link_path")
        for column in columns:
            value = row.get(column["field"], "")
            if link and column["field"] == linked:
                value = f'<a href="{link}">{value}</a>'
            if column["field"] == "validation_success":
                value = f"{value} {row.get('_validation_success_text', '')}"
            tr.append(_cell("td", value))
    return table


def _render_bootstrap_tables(doc: Any) -> None:
    for script in doc.iter("script"):
        spec = _table_spec(script.text or "")
        if spec is None:
            continue
        table_id, columns, data = spec
        for old in doc.xpath("//table[@id=$id]", id=table_id):
            old.getparent().replace(old, _static_table(table_id, columns, data))
        for toolbar in doc.xpath("//*[@id=$id]", id=f"{table_id}-toolbar"):
            toolbar.drop_tree()


def _neutralise(el: Any) -> None:
    for attr in list(el.attrib):
        if attr.lower().startswith("on"):
            del el.attrib[attr]  # handlers would call scripts that are gone
    for attr, value in list(el.attrib.items()):
        if "url(" in value.lower() or "@import" in value.lower():  # style="", SVG fill=""
            el.attrib[attr] = clean_css(value)
    for attr, value in list(el.attrib.items()):
        if attr.lower() not in _LOADING_ATTRS:
            continue
        if not any(is_offsite(v.split()[0]) for v in value.split(",") if v.strip()):
            continue
        if el.tag == "a":
            el.tag = "span"
            for gone in ("href", "target", "rel", "ping", "download"):
                el.attrib.pop(gone, None)
            return
        if el.tag == "img":
            label = lxml.html.Element("span", attrib={"class": "offline-brand"})
            label.text = el.attrib.get("alt", "")
            label.tail = el.tail
            el.getparent().replace(el, label)
            return
        if el.tag in _DROP_IF_OFFSITE:
            el.drop_tree()
            return
        del el.attrib[attr]


def _fix_head(doc: Any, css: str) -> None:
    head = doc.find("head")
    if head is None:
        head = lxml.html.Element("head")
        doc.insert(0, head)
    for meta in head.xpath("meta[@charset]"):
        meta.drop_tree()
    for title in head.findall("title"):
        if not (title.text or "").strip():
            title.drop_tree()
    charset = lxml.html.Element("meta", charset="utf-8")
    policy = lxml.html.Element("meta", attrib={"http-equiv": "Content-Security-Policy"})
    policy.attrib["content"] = CSP
    head.insert(0, charset)
    head.insert(1, policy)
    style = etree.SubElement(head, "style", id="offline-docs")
    style.text = css


def offline_html(html: str, css: str, prepare: Callable[[Any], None] | None = None) -> str:
    """The page with nothing to fetch off-machine; `prepare` edits the parsed page first."""
    doc = lxml.html.document_fromstring(html)
    _render_bootstrap_tables(doc)
    for gone in doc.xpath("//script | //footer | //noscript | //meta[@http-equiv] | //comment()"):
        gone.drop_tree()
    for style in doc.iter("style"):
        style.text = clean_css(style.text or "")
    for el in list(doc.iter(etree.Element)):
        _neutralise(el)
    if prepare is not None:
        prepare(doc)
    _fix_head(doc, css)
    return lxml.html.tostring(doc, doctype="<!DOCTYPE html>", encoding="unicode")


def _local_refs(page: Path) -> set[Path]:
    doc = lxml.html.document_fromstring(page.read_text(encoding="utf-8"))
    refs = set()
    for value in doc.xpath("//@href | //@src"):
        target = value.split("#")[0].split("?")[0]
        if target and not is_offsite(target):
            refs.add((page.parent / target).resolve())
    return refs


def _prune_static(docs_dir: Path) -> None:
    """GE copies its logos, fonts and tutorial GIFs (~5 MB); keep only what a page uses."""
    static = docs_dir / "static"
    if not static.is_dir():
        return
    used: set[Path] = set()
    for page in docs_dir.rglob("*.html"):
        used |= _local_refs(page)
    for path in sorted(static.rglob("*"), reverse=True):
        if path.is_file() and path.resolve() not in used:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _suite_of(docs_dir: Path, page: Path) -> str | None:
    """The suite a GE page shows: validations/<suite>/… or expectations/<suite>.html."""
    parts = page.relative_to(docs_dir).parts
    if parts[0] == "validations" and len(parts) > 2:
        return parts[1]
    if parts[0] == "expectations" and len(parts) == 2:
        return page.stem
    return None


def _link_pages(doc: Any) -> None:
    """The index leads with the pages a regulator opens first."""
    main = doc.xpath("//div[@id='section-1']")
    if not main:
        return
    block = lxml.html.fragment_fromstring(
        '<div class="alert alert-secondary offline-links"><strong>기관별로 보기:</strong> '
        f'<a href="{SUMMARY_PAGE}">기관별 검증 결과(기관 × 규칙)</a> · '
        f'<a href="{FAILURES_PAGE}">위반 행 목록(기관코드, 기관명, 출처 URL)</a></div>'
    )
    main[0].addprevious(block)


def _koreanise(
    docs_dir: Path,
    page: Path,
    warning_suites: Collection[str],
    notes: Mapping[str, Mapping[str, str]],
) -> Callable[[Any], None]:
    suite = _suite_of(docs_dir, page)
    table = suite.rsplit("-", 1)[0] if suite else None
    is_index = page == docs_dir / "index.html"
    is_result = page.relative_to(docs_dir).parts[0] == "validations"

    def prepare(doc: Any) -> None:
        korean.mark_warnings(doc, suite, warning_suites)
        if is_result and table in notes:
            korean.add_notes(doc, notes[table])
        korean.translate(doc, table)
        if is_index:
            _link_pages(doc)

    return prepare


def make_offline(
    docs_dir: Path,
    warning_suites: Collection[str] = (),
    own_pages: Collection[str] = (),
    notes: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Rewrite every page offline; GE's pages (not `own_pages`) are also made Korean, and
    each rule of a result page gets its reason from `notes` (table → rule name → why)."""
    css = (STATIC_DIR / "offline.css").read_text(encoding="utf-8")
    for page in docs_dir.rglob("*.html"):
        own = page.parent == docs_dir and page.name in own_pages
        prepare = None if own else _koreanise(docs_dir, page, warning_suites, notes or {})
        html = offline_html(page.read_text(encoding="utf-8"), css, prepare)
        page.write_text(html, encoding="utf-8")
    _prune_static(docs_dir)
    for sheet in docs_dir.rglob("*.css"):
        sheet.write_text(clean_css(sheet.read_text(encoding="utf-8")), encoding="utf-8")


_REF_PATTERNS = (
    re.compile(r"""\b(?:src|srcset|poster|background|data)\s*=\s*["']?([^"'\s>]+)""", re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)""", re.I),
    re.compile(r"""url\(\s*["']?([^"')\s]+)""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""", re.I),
)


def offsite_references(docs_dir: Path) -> list[str]:
    """Every place in the site that would make a browser load something off-machine."""
    found = []
    for path in sorted(docs_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".html", ".htm", ".css", ".svg"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in _REF_PATTERNS:
            for match in pattern.finditer(text):
                if is_offsite(match.group(1)):
                    found.append(f"{path.relative_to(docs_dir)}: {match.group(0)[:120]}")
    return found


def _clear(docs_dir: Path) -> None:
    """Remove the previous site: its index would no longer list the old pages."""
    for name in GENERATED:
        path = docs_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def build(
    context: Any,
    docs_dir: Path,
    site_name: str,
    *,
    warning_suites: Collection[str] = (),
    pages: Mapping[str, str] | None = None,
    notes: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """GE's site, its pages made offline and Korean, with `pages` (file name → HTML)
    written beside its index."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    _clear(docs_dir)
    context.build_data_docs(site_names=[site_name])
    for name, html in (pages or {}).items():
        (docs_dir / name).write_text(html, encoding="utf-8")
    make_offline(docs_dir, warning_suites, own_pages=tuple(pages or ()), notes=notes)
    leftovers = offsite_references(docs_dir)
    if leftovers:
        raise RuntimeError(
            "Data Docs still reference off-machine resources: " + "; ".join(leftovers)
        )
    return docs_dir / "index.html"
