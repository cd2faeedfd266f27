"""The archived copy of each source document, written beside the pages that cite it.

A reader who doubts a finding opens the document as it was captured, not the live page
(which may have changed or gone). Copies are named by their sha256, so a page links to
`archive/<sha256>.<ext>` and the same document cited by several pages is written once. An
HTML copy is shown with a banner that says it is an archived copy and when and where it was
captured, and without what it would load or run (scripts, frames, remote images and
stylesheets): the site must make no outside request, and a captured page is untrusted
input. Other kinds (xlsx, hwp, pdf) are written as the bytes that were archived.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from domain.formats import FORMATS
from transforms.encoding import decode_html
from warehouse.safe_write import WriteFailed, replacing
from warehouse.site.data import Source
from warehouse.site.format import kst_time

ARCHIVE_DIR = "archive"
_EXTENSIONS = {f.media_type: f.extensions[0] for f in FORMATS.values() if f.extensions}
# Nothing may load; inline styles only (the page's own look and the banner's).
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_DROPPED = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "base"}
_LOADING_ATTRS = {"src", "srcset", "poster", "data", "background", "action", "formaction"}
_REMOTE = re.compile(r"^\s*(//|(?!data:)[a-z][a-z0-9+.\-]*:)", re.I)
_CSS_REMOTE = re.compile(
    r"@import[^;]*;?|url\(\s*['\"]?\s*(//|(?!data:)[a-z][a-z0-9+.\-]*:)[^)]*\)", re.I
)
_BANNER = (
    '<div style="all:initial;display:block;box-sizing:border-box;width:100%;padding:10px 14px;'
    "background:#fff4ce;border-bottom:2px solid #b7950b;color:#222;font:15px/1.5 "
    "'Noto Sans KR','Malgun Gothic','Apple SD Gothic Neo',sans-serif\">"
    "<strong>보관본</strong>: {when}에 {url}에서 수집한 문서를 그대로 보관한 사본입니다 "
    "(SHA-256 {sha256}). 스크립트와 외부 자원은 표시하지 않습니다.</div>"
)


def extension(media_type: str | None) -> str:
    """The file-name extension an archived copy of this media type gets ("bin" if unknown)."""
    return _EXTENSIONS.get((media_type or "").split(";")[0].strip().lower(), "bin")


def archived_path(source: Source) -> str:
    """Where the copy sits under the site's root: `archive/<sha256>.<ext>`."""
    return f"{ARCHIVE_DIR}/{source.sha256}.{extension(source.media_type)}"


def archived_copy(source: Source, payload: bytes) -> bytes:
    """The bytes to write for `source`: an HTML page offline and with its banner, any other
    kind as it was archived."""
    if extension(source.media_type) != "html":
        return payload
    page = make_offline(decode_html(payload).text)
    banner = _BANNER.format(
        when=html.escape(kst_time(source.fetched_at)),
        url=html.escape(source.url or "–"),
        sha256=source.sha256,
    )
    head = f'<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
    page = re.sub(r"<head\b[^>]*>", lambda m: m.group(0) + head, page, count=1, flags=re.I)
    page = re.sub(r"<body\b[^>]*>", lambda m: m.group(0) + banner, page, count=1, flags=re.I)
    return page.encode("utf-8")


def write_archived_copies(
    root: Path, sources: Iterable[Source], payload: Callable[[str], bytes]
) -> tuple[list[Path], list[tuple[Source, str]]]:
    """Write each source's copy under `root`/archive (once per sha256, skipping one already
    there); `payload(sha256)` gives the archived bytes. A copy that cannot be read (or whose
    path is a link or a folder) is not written: the pairs (source, why) say which, and the
    pages still cite its URL and hash. WriteFailed when the folder cannot take files."""
    folder = root / ARCHIVE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"cannot make the folder {folder}: {exc.strerror}") from exc
    written, failed = [], []
    for source in {s.sha256: s for s in sources}.values():
        target = root / archived_path(source)
        if target.is_file() and not target.is_symlink():
            continue  # named by its sha256: the same bytes are there already
        try:
            copy = archived_copy(source, payload(source.sha256))
            with replacing(target) as tmp:
                tmp.write_bytes(copy)
        except WriteFailed:
            raise  # the disk or the folder: every further copy would fail the same way
        except Exception as exc:  # a damaged record, a link in the way: the rest go on
            failed.append((source, _first_line(exc)))
            continue
        written.append(target)
    return written, failed


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def make_offline(page: str) -> str:
    """The page without anything that would load from elsewhere or run: scripts, frames,
    stylesheet links, remote images (replaced by their alt text), event handlers,
    javascript: links and remote CSS imports. Links to other pages are kept."""
    import lxml.html

    doc = lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
    for element in list(doc.iter()):
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in _DROPPED or (
            tag == "meta" and element.get("http-equiv", "").lower() in ("refresh", "content-type")
        ):
            element.drop_tree()
            continue
        if tag == "meta" and element.get("charset") is not None:
            element.drop_tree()  # the copy is UTF-8 whatever the page declared
            continue
        if tag == "style" and element.text:
            element.text = _CSS_REMOTE.sub("", element.text)
        for attr in list(element.attrib):
            if attr not in element.attrib:  # an img's alt, already made its text
                continue
            name = attr.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
            value = element.attrib[attr].strip()
            if name.startswith("on") or (name == "style" and _CSS_REMOTE.search(value)):
                del element.attrib[attr]
            elif name == "href" and tag in ("a", "area"):
                if value.lower().startswith("javascript:"):
                    del element.attrib[attr]
            elif tag == "img" and name in ("src", "srcset") and not value.startswith("data:"):
                del element.attrib[attr]
                element.tag = "span"
                element.text = element.attrib.pop("alt", None) or "[이미지]"
            elif (name == "href" or name in _LOADING_ATTRS) and _REMOTE.match(value):
                del element.attrib[attr]
    return lxml.html.tostring(doc, encoding="unicode", method="html", doctype="<!DOCTYPE html>")


__all__ = [
    "ARCHIVE_DIR",
    "archived_copy",
    "archived_path",
    "extension",
    "make_offline",
    "write_archived_copies",
]
