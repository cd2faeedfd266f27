"""Shared fixtures: the demo warehouse, built once per session over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import run_cctv


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cctv demo` run once over real HTTP on 127.0.0.1; its data dir, for many checks."""
    data_dir = tmp_path_factory.mktemp("demo")
    result = run_cctv("demo", data_dir=data_dir)
    if result.returncode != 0:
        pytest.fail(f"cctv demo failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    (data_dir / "demo-stdout.txt").write_text(result.stdout, encoding="utf-8")
    return data_dir
