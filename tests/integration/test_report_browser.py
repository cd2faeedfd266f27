"""An institution's page as a reader gets it: opened in headless Chromium with the network
blocked (it must render complete and ask for nothing off-machine), and printed to an A4 PDF
whose text is the page's Hangul. The screenshot and the PDF's first page are left as PNGs
in the test's folder for a person to look at.

Chromium is Debian's package, installed by `browser.ensure_chromium` when the tests run as
root with apt-get (CI); elsewhere these tests skip and say why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.integration import browser
from tests.seeds import MICHUHOL

pytestmark = [pytest.mark.slow, pytest.mark.browser]

A4_POINTS = (595.3, 841.9)
# Chromium's PDFs map the space glyph to U+0001 in their text layer.
GAPS = re.compile(r"[\s\x01]+")


def data_dir(root: Path) -> list[str]:
    return ["--data-dir", str(root)]


@pytest.fixture(scope="module")
def printed(
    chromium: Path, demo_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """`cctv report --pdf` for 미추홀구: its page and its PDF."""
    out = tmp_path_factory.mktemp("printed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CCTV_CHROMIUM", str(chromium))
        result = CliRunner().invoke(
            app,
            ["report", "-i", MICHUHOL.code, "--out", str(out), "--pdf", *data_dir(demo_data)],
        )
    assert result.exit_code == 0, result.output
    page, pdf = out / f"{MICHUHOL.code}.html", out / f"{MICHUHOL.code}.pdf"
    assert result.stdout == f"{page}\n{pdf}\n"
    return page, pdf


def test_page_renders_offline_with_its_text(
    chromium: Path, printed: tuple[Path, Path], tmp_path: Path
) -> None:
    page, _ = printed
    net_log = tmp_path / "net.json"
    dom = browser.dump_dom(chromium, page, profile=tmp_path / "profile", net_log=net_log)
    assert browser.page_requests(net_log) == []
    assert browser.tcp_destinations(net_log) <= {"PROXY 127.0.0.1:9", "127.0.0.1:9"}
    assert MICHUHOL.name in dom and "1. 기관 개요" in dom and "8. 출처" in dom
    assert f"{MICHUHOL.cameras:,}대" in dom
    png = tmp_path / "institution.png"
    browser.screenshot(chromium, page, png, profile=tmp_path / "profile-shot")
    from PIL import Image

    with Image.open(png) as shot:
        colours = shot.convert("RGB").getcolors(maxcolors=1 << 16)
    # Styled: the stylesheet's soft grey table headers and a green badge are painted.
    painted = {rgb for _, rgb in colours or []}
    assert (0xF4, 0xF6, 0xF8) in painted and (0xE3, 0xF4, 0xE7) in painted


def test_pdf_is_a4_with_the_pages_hangul(printed: tuple[Path, Path], tmp_path: Path) -> None:
    import pdfplumber

    _, pdf = printed
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 2
        first = doc.pages[0]
        assert (round(first.width, 1), round(first.height, 1)) == pytest.approx(A4_POINTS, abs=1)
        text = GAPS.sub("", first.extract_text() or "")
        first.to_image(resolution=80).save(tmp_path / "pdf-page-1.png")
        everything = GAPS.sub("", "".join(p.extract_text() or "" for p in doc.pages))
    assert GAPS.sub("", MICHUHOL.name) in text and "필수기재사항" in text
    assert "전체기관목록" not in everything  # navigation is not printed
    assert "출처" in everything and "SHA-256" in everything
