"""The overview notebook runs top to bottom on a small warehouse and shows the right numbers."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import nbformat
import pyarrow as pa
import pytest

from archive.paths import data_paths
from pipelines.notebooks import NOTEBOOKS_DIR, NotebookError, run_notebooks
from warehouse.build import add_table
from warehouse.schema import TABLES

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

FETCHED = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
NAMES = {
    "11680": "서울특별시 강남구",
    "28177": "인천광역시 미추홀구",
    "47150": "경상북도 김천시",
    "26110": "부산광역시 중구",  # a policy page with retention but no camera inventory
}
# Level and parent (광역) of each, for coverage by region and level.
LEVELS = {
    "11680": ("gu", "11000"),
    "28177": ("gu", "28000"),
    "47150": ("si", "47000"),
    "26110": ("gu", "26000"),
}
REGIONS = {"11000": "서울특별시", "28000": "인천광역시", "47000": "경상북도", "26000": "부산광역시"}


def _prov(sha: str, url: str) -> dict[str, Any]:
    return {
        "capture_sha256": sha,
        "source_url": url,
        "fetched_at": FETCHED,
        "parser_version": "test-1",
    }


def _camera(
    inst: str, purpose: str | None, count: int | None, days: int | None, **extra: Any
) -> dict[str, Any]:
    row = {
        "inst_code": inst,
        "purpose": purpose,
        "purpose_raw": purpose,
        "camera_count": count,
        "retention_days": days,
        "recording": True,
        "is_template": False,
        "row_ref": f"table0!r{count}",
        **_prov(f"sha-{inst}", f"https://{inst}.example.kr/cctv"),
    }
    row.update(extra)
    return row


ROWS: dict[str, list[dict[str, Any]]] = {
    "institutions": [
        {
            "inst_code": code,
            "name": name,
            "level": LEVELS[code][0],
            "parent_code": LEVELS[code][1],
            "valid_from": date(2020, 1, 1),
            "crawled": True,
        }
        for code, name in NAMES.items()
    ]
    + [  # the regions: in the registry, never crawled
        {"inst_code": code, "name": name, "level": "sido", "crawled": False}
        for code, name in REGIONS.items()
    ],
    "captures": [
        {
            "sha256": f"sha-{code}",
            "url": f"https://{code}.example.kr/cctv",
            "fetched_at": FETCHED,
            "inst_code": code,
            "role": "policy",
            "warc_file": "a.warc.gz",
            "warc_offset": i * 100,
            "record_type": "response",
            "crawl_id": "c1",
        }
        for i, code in enumerate(NAMES)
    ]
    + [
        {
            "sha256": "sha-att",
            "url": "https://47150.example.kr/cctv.xlsx",
            "fetched_at": FETCHED,
            "inst_code": "47150",
            "role": "attachment",
            "warc_file": "a.warc.gz",
            "warc_offset": 900,
            "record_type": "response",
            "crawl_id": "c1",
        }
    ],
    "policies": [
        {
            "inst_code": "11680",
            "title": "강남구 영상정보처리기기 운영·관리 방침",
            "retention_days_min": 14,
            "retention_days_max": 30,
            "is_template": False,
            **_prov("sha-11680", "https://11680.example.kr/cctv"),
        },
        {
            "inst_code": "28177",
            "title": "미추홀구 영상정보처리기기 운영·관리 방침",
            "retention_days_min": 7,
            "retention_days_max": 30,
            "is_template": False,
            **_prov("sha-28177", "https://28177.example.kr/cctv"),
        },
        {
            "inst_code": "26110",
            "title": "중구 영상정보처리기기 운영·관리 방침",
            "retention_days_min": 30,
            "retention_days_max": 60,
            "is_template": False,
            **_prov("sha-26110", "https://26110.example.kr/cctv"),
        },
        {
            "inst_code": "47150",
            "title": "○○시 영상정보처리기기 운영·관리 방침",
            "is_template": True,
            "attachment_count": 1,
            **_prov("sha-47150", "https://47150.example.kr/cctv"),
        },
    ],
    "cameras": [
        _camera("11680", "생활방범", 120, 30),
        _camera("11680", "시설물관리", 15, 14),
        _camera("28177", "생활방범", 80, 7),
        _camera("28177", "어린이보호", 25, 30),
        _camera("28177", "교통단속", 10, 0, recording=False),
        _camera("47150", "시설물관리", 5, 30),
        _camera("47150", None, None, None, is_template=True, row_ref="table0!r1"),
    ],
    "quality_issues": [
        {
            "level": "warning",
            "code": "template_inventory",
            "message": "placeholder ○○대 in camera count",
            "stage": "parse",
            "inst_code": "47150",
            "capture_sha256": "sha-47150",
        }
    ],
}


def build_warehouse(root: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    """A DuckDB file with every warehouse table (from the schemas) and the given rows."""
    path = data_paths(root).duckdb
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        for name, schema in TABLES.items():
            add_table(con, name, pa.Table.from_pylist(rows.get(name, []), schema=schema))
    finally:
        con.close()
    return path


def cell_outputs(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def output_text(nb: nbformat.NotebookNode) -> str:
    """All plain-text output of the executed notebook (streams and text/plain results)."""
    parts = []
    for out in cell_outputs(nb):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out and "text/plain" in out.data:
            parts.append(out.data["text/plain"])
    return "\n".join(parts)


HANGUL = re.compile(r"[가-힣]")
# A whole number printed as a float (12.0, 2,855.0) or a missing value pandas would print.
FLOAT_INTEGER = re.compile(r"(?<![\d.])\d[\d,]*\.0(?![\d.])")
MISSING_WORDS = ("NaN", "None", "NaT", "<NA>", "nan")


def displayed_tables(nb: nbformat.NotebookNode) -> list[tuple[list[str], str]]:
    """Each table a cell shows as its result: its column headers (HTML) and its plain text."""
    tables = []
    for out in cell_outputs(nb):
        html = out.get("data", {}).get("text/html", "")
        if out.output_type != "execute_result" or "<table" not in html:
            continue
        head = html.split("<thead>", 1)[1].split("</thead>", 1)[0] if "<thead>" in html else ""
        headers = [h.strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
        tables.append(([h for h in headers if h], out.data.get("text/plain", "")))
    return tables


def assert_readable_tables(nb: nbformat.NotebookNode) -> None:
    """Every displayed table has Korean headers, no missing-value words and no whole number
    printed as a float."""
    tables = displayed_tables(nb)
    assert tables, "no table displayed"
    for headers, text in tables:
        english = [h for h in headers if not HANGUL.search(h)]
        assert not english, f"headers without Hangul: {english}"
        assert not [w for w in MISSING_WORDS if re.search(rf"(?<![A-Za-z]){w}(?![A-Za-z])", text)]
        assert not FLOAT_INTEGER.search(text), text


def chart_titles(nb: nbformat.NotebookNode) -> list[str]:
    """The literal titles the notebook's code gives its charts (set_title, suptitle)."""
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return re.findall(r"(?:set_title|suptitle)\(\s*f?\"([^\"]+)\"", source)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, Path]:
    root = tmp_path_factory.mktemp("data")
    build_warehouse(root, ROWS)
    out = tmp_path_factory.mktemp("out")
    paths = run_notebooks(root, out, names=["01_overview"])
    assert paths == [out / "01_overview.ipynb"]
    return nbformat.read(paths[0], as_version=4), out


def test_notebook_runs_without_errors_or_warnings(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    outputs = cell_outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, stderr  # e.g. matplotlib's "Glyph ... missing" warnings
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def test_figures_are_saved(executed: tuple[Any, Path]) -> None:
    _, out = executed
    png = out / "figures" / "cameras_per_purpose.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
    assert (out / "figures" / "retention_per_institution.png").stat().st_size > 10_000
    images = [o for o in cell_outputs(executed[0]) if "image/png" in o.get("data", {})]
    assert len(images) == 2


def test_numbers_and_names_in_outputs(executed: tuple[Any, Path]) -> None:
    text = output_text(executed[0])
    lines = text.splitlines()

    def line_with(*words: str) -> str:
        hits = [line for line in lines if all(w in line for w in words)]
        assert hits, f"no output line with {words}"
        return hits[0]

    # Coverage: 4 institutions, 4 policy pages, 7 camera rows, 255 cameras, 1 attachment.
    assert line_with("방침 페이지 수", "4")
    assert line_with("카메라 대수 합계", "255")
    assert line_with("카메라 행 수", "7")
    assert line_with("첨부파일 수", "1")
    assert "출처: 영상정보처리기기 운영·관리 방침, 수집 2024-05-01" in text
    # Coverage by region and level: the four 광역 are registered but not crawled.
    assert "시·도 × 기관 구분 8개 묶음; 등록 기관 8곳 중 4곳의 방침 페이지를 수집함" in text
    assert line_with("서울특별시", " 구 ", "1", "135", "100")
    assert line_with("인천광역시", " 구 ", "115")
    assert line_with("경상북도", " 시 ", "5", "100")
    assert line_with("경상북도", "광역", "1", "0", "0")
    # Cameras per purpose: 생활방범 120 + 80, 시설물관리 15 + 5; the template row is left out.
    assert line_with("생활방범", "200", "2")
    assert line_with("어린이보호", "25")
    assert line_with("시설물관리", "20")
    assert line_with("교통단속", "10")
    assert "(미분류)" not in text
    # Retention: 강남구 14/22/30 on camera rows; 미추홀구's 녹화무 row is excluded (min 7).
    assert line_with("강남구", "14", "22", "30")
    assert line_with("미추홀구", "7", "18.5", "30")
    # 김천's template page states no retention: 미기재, not an empty cell.
    assert line_with("경상북도 김천시", "미기재", "아니오")
    # Stated in the policy only, beyond the 30-day default: listed first and flagged.
    assert line_with("부산광역시 중구", "30", "60", "예")
    assert text.index("부산광역시 중구") < text.index("서울특별시 강남구")
    # Template page and the quality issue (its Korean title, not its code).
    assert "서식(템플릿) 방침 페이지: 1개; 서식 카메라 행: 1개" in text
    assert line_with("경고", "설치 현황이 빈 서식(템플릿)", "1")
    assert "카메라가 가장 많은 설치목적: 생활방범" in text
    assert_readable_tables(executed[0])


def test_executed_copy_is_a_valid_notebook(executed: tuple[Any, Path]) -> None:
    nb, out = executed
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert json.loads((out / "01_overview.ipynb").read_text(encoding="utf-8"))["cells"]


def test_empty_warehouse_does_not_crash(tmp_path: Path) -> None:
    build_warehouse(tmp_path / "data", {})
    (path,) = run_notebooks(tmp_path / "data", tmp_path / "out", names=["01_overview.ipynb"])
    nb = nbformat.read(path, as_version=4)
    assert not [o for o in cell_outputs(nb) if o.output_type == "error"]
    assert (tmp_path / "out" / "figures" / "cameras_per_purpose.png").exists()


def test_missing_warehouse_raises_notebook_error(tmp_path: Path) -> None:
    with pytest.raises(NotebookError) as caught:
        run_notebooks(tmp_path / "empty", tmp_path / "out", names=["01_overview"])
    err = caught.value
    assert err.name == "01_overview"
    assert err.cell_index == 2
    assert "FileNotFoundError" in err.error
    assert "cctv.duckdb" in err.error
    assert "\n" not in str(err)
    assert str(err).startswith("notebook 01_overview: cell 2 failed: FileNotFoundError")
    # The partly executed copy is kept so the traceback can be read.
    assert (tmp_path / "out" / "01_overview.ipynb").exists()


def test_unknown_notebook_name_fails_before_running(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown notebook"):
        run_notebooks(tmp_path, tmp_path / "out", names=["99_nope"])


def test_timeout_is_reported_as_notebook_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbformat.v4 import new_code_cell, new_notebook

    import pipelines.notebooks

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("import time; time.sleep(60)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, notebooks / "slow.ipynb")
    monkeypatch.setattr(pipelines.notebooks, "NOTEBOOKS_DIR", notebooks)

    with pytest.raises(NotebookError) as caught:
        run_notebooks(tmp_path / "data", tmp_path / "out", timeout=2)
    assert caught.value.cell_index == 1
    assert str(caught.value).startswith("notebook slow: cell 1 failed: CellTimeoutError")
    assert "\n" not in str(caught.value)


def _notebooks_dir(tmp_path: Path, sources: dict[str, list[str]]) -> Path:
    """A folder of notebooks, one per name, each cell the source given."""
    from nbformat.v4 import new_code_cell, new_notebook

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name, cells in sources.items():
        nb = new_notebook(cells=[new_code_cell(source) for source in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def test_notebooks_run_at_the_same_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first notebook waits for a file only the second writes: it finishes only if both
    kernels run at once (one after the other, it would time out)."""
    import pipelines.notebooks

    flag = tmp_path / "second-started"
    waits = (
        "import pathlib, time\n"
        f"flag = pathlib.Path({str(flag)!r})\n"
        "while not flag.exists():\n"
        "    time.sleep(0.05)\n"
        "print('saw the second')"
    )
    writes = f"import pathlib; pathlib.Path({str(flag)!r}).touch(); print('second')"
    folder = _notebooks_dir(tmp_path, {"a_waits": [waits], "b_writes": [writes]})
    monkeypatch.setattr(pipelines.notebooks, "NOTEBOOKS_DIR", folder)

    written = run_notebooks(tmp_path / "data", tmp_path / "out", timeout=60, workers=2)

    assert [p.name for p in written] == ["a_waits.ipynb", "b_writes.ipynb"]
    first = nbformat.read(written[0], as_version=4)
    assert first.cells[0].outputs[0]["text"] == "saw the second\n"


def test_a_kernel_reused_starts_each_notebook_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One kernel runs both: the second sees none of the first's names, counts from 1, and
    gets the process's loaded modules (the point of reusing it)."""
    import pipelines.notebooks

    folder = _notebooks_dir(
        tmp_path,
        {
            "a_sets": ["import os\nleft = 1", "os.getpid()"],
            "b_reads": ["'left' in dir(), 'os' in dir()", "import os\nos.getpid()"],
        },
    )
    monkeypatch.setattr(pipelines.notebooks, "NOTEBOOKS_DIR", folder)

    first, second = run_notebooks(tmp_path / "data", tmp_path / "out", workers=1)

    a = nbformat.read(first, as_version=4)
    b = nbformat.read(second, as_version=4)
    assert b.cells[0].outputs[0]["data"]["text/plain"] == "(False, False)"
    assert [c.execution_count for c in b.cells] == [1, 2]
    assert [c.outputs[0]["execution_count"] for c in b.cells] == [1, 2]
    assert a.cells[1].outputs[0]["data"] == b.cells[1].outputs[0]["data"]  # the same kernel


def test_a_failing_notebook_leaves_the_others_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipelines.notebooks

    folder = _notebooks_dir(
        tmp_path,
        {
            "a_fine": ["print('a')"],
            "b_broken": ["x = 1", "raise ValueError('no table here\\nsecond line')"],
            "c_broken": ["1 / 0"],
            "d_fine": ["print('d')"],
        },
    )
    monkeypatch.setattr(pipelines.notebooks, "NOTEBOOKS_DIR", folder)

    with pytest.raises(NotebookError) as caught:
        run_notebooks(tmp_path / "data", tmp_path / "out", workers=2)

    # the first failure in running order, in one line
    assert str(caught.value) == "notebook b_broken: cell 1 failed: ValueError: no table here"
    out = tmp_path / "out"
    for name, text in (("a_fine", "a\n"), ("d_fine", "d\n")):
        assert nbformat.read(out / f"{name}.ipynb", as_version=4).cells[0].outputs[0]["text"] == (
            text
        )
    broken = nbformat.read(out / "c_broken.ipynb", as_version=4)
    assert broken.cells[0].outputs[0]["ename"] == "ZeroDivisionError"


# --- the notebooks `cctv demo` executed ---------------------------------------------------------


@pytest.mark.cli
def test_demo_notebooks_read_in_korean(demo_data: Path) -> None:
    # The demo runs every notebook on its warehouse: what a new user opens first.
    executed = sorted((demo_data / "notebooks").glob("*.ipynb"))
    assert [p.stem for p in executed] == [p.stem for p in sorted(NOTEBOOKS_DIR.glob("*.ipynb"))]
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        assert_readable_tables(nb)
        titles = chart_titles(nb)
        assert titles, path.name
        assert all(HANGUL.search(title) for title in titles), titles
        headings = [
            line
            for cell in nb.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("#")
        ]
        assert headings and all(HANGUL.search(h) for h in headings), headings
