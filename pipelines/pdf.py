"""A4 PDFs of pages already written, printed by the system's headless Chromium.

Chromium lays out Hangul with the system's fonts and honours the pages' print stylesheet
(`@page { size: A4 }`), so the PDF is what a person would get from the browser's print
dialog. The browser may read only the local files: every request that is not `file:`
is aborted, and what the route API does not see meets a proxy that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from warehouse.safe_write import WriteFailed, replacing

# Whatever the route API does not see goes nowhere (as in crawler.render).
BROWSER_ARGS = (
    "--proxy-server=http://egress.invalid:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
LOAD_TIMEOUT_MS = 30_000


class PdfUnavailable(Exception):
    """No browser to print with: the message says where none was found and how to install
    one."""


def pdf_path(page: Path) -> Path:
    """The PDF beside a page: `5060000.html` → `5060000.pdf`."""
    return page.with_suffix(".pdf")


def pdf_browser() -> str:
    """The Chromium that will print, checked before anything is written."""
    from crawler.render import chromium_missing, find_chromium

    executable = find_chromium()
    if executable is None:
        raise PdfUnavailable(f"cannot write PDFs: {chromium_missing()}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:  # the pinned environment has it; a bare install may not
        raise PdfUnavailable(f"cannot write PDFs: Playwright is not installed ({exc})") from exc
    return executable


def print_pdfs(pages: Sequence[Path]) -> list[Path]:
    """Print each page to the PDF beside it (A4, backgrounds kept); the PDFs' paths."""
    executable = pdf_browser()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=list(BROWSER_ARGS), timeout=LOAD_TIMEOUT_MS
            )
            try:
                context = browser.new_context(java_script_enabled=False)
                context.route("**/*", _local_only)
                page = context.new_page()
                for html in pages:
                    page.goto(Path(html).absolute().as_uri(), timeout=LOAD_TIMEOUT_MS)
                    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                    target = pdf_path(Path(html))
                    with replacing(target) as tmp:
                        tmp.write_bytes(pdf)
                    written.append(target)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise WriteFailed(f"Chromium at {executable} could not print the PDF: {first}") from exc
    return written


def _local_only(route: object) -> None:
    """Let the page read its own files; abort anything that would leave the machine."""
    request = route.request  # type: ignore[attr-defined]
    if request.url.startswith("file:"):
        route.continue_()  # type: ignore[attr-defined]
    else:
        route.abort("blockedbyclient")  # type: ignore[attr-defined]


__all__ = ["PdfUnavailable", "pdf_browser", "pdf_path", "print_pdfs"]
