"""CSV cells are kept whitespace-folded; the shortcuts that skip folding rows or files that
need none give exactly the cells folding each one gives."""

from __future__ import annotations

import csv
import io
import random

from domain.text import fold
from transforms.readers.csv import _delimiter, read_csv

_PIECES = ["가", "나", "1", "0", "a", " ", "  ", "\t", "\u3000", "\u00a0", ",", ";", '"', "x y"]


def _folded_one_by_one(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    rows = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    return [folded for row in rows if any(folded := [fold(c) for c in row])]


def _file(rng: random.Random) -> bytes:
    delimiter = rng.choice([",", ";", "\t"])
    lines = []
    for _ in range(rng.randint(2, 12)):
        cells = ["".join(rng.choices(_PIECES, k=rng.randint(0, 4))) for _ in range(3)]
        if rng.random() < 0.3:
            cells = [f'"{c.replace(chr(34), "")}"' for c in cells]
        else:
            cells = [c.replace('"', "").replace(delimiter, "") for c in cells]
        lines.append(delimiter.join(cells))
    return ("\n".join(lines) + rng.choice(["", "\n", " "])).encode("utf-8")


def test_cells_are_those_folding_each_one_gives():
    rng = random.Random(11)
    checked = 0
    for _ in range(3_000):
        body = _file(rng)
        expected = _folded_one_by_one(body)
        if not expected:
            continue
        (grid,), _ = read_csv(body)
        width = grid.width
        assert grid.rows == [row + [""] * (width - len(row)) for row in expected], body
        checked += 1
    assert checked > 2_000


def test_a_plain_file_is_read_as_written():
    body = "연번,부서,위치\n1,안전과,1번 교차로 인근\n2,교통과,시청 앞\n".encode()
    (grid,), _ = read_csv(body)
    assert grid.rows[2] == ["2", "교통과", "시청 앞"]
