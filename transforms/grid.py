"""The one table type every reader produces and every mapper consumes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Grid:
    """A rectangular table: spans already expanded, header rows counted from the top.

    `name` says where the table came from ("table 2", "sheet CCTV 운영현황") and, with a
    data row's 1-based position in the source, makes the `row_ref` of each record.
    `row_numbers[i]` is the source row number of `rows[i]` (sheet row, or table row).
    `caption` holds a table's caption or a sheet's title lines, which often say what the
    table is (예시, 설치현황).
    `cell_ids[r][c]` names the source cell that `rows[r][c]` was read from (None when not
    known): span expansion copies one cell's text into every position it covers, which is
    right for a label and wrong for a quantity, so readers of counts must see the copies.
    """

    name: str
    rows: list[list[str]]
    header_rows: int = 0
    row_numbers: list[int] = field(default_factory=list)
    caption: str = ""
    cell_ids: list[list[int | None]] = field(default_factory=list)
    # What readers derive from the grid and more than one of them asks for (its total rows
    # under a column mapping), kept with it so a table is read once: a grid is not changed
    # after it is made.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        width = max(map(len, self.rows), default=0)
        # Rows are copied (a grid never shares a row list with its source); most are full.
        self.rows = [
            list(r) if len(r) == width else list(r) + [""] * (width - len(r)) for r in self.rows
        ]
        if len(self.cell_ids) == len(self.rows):
            self.cell_ids = [
                list(r) if len(r) == width else list(r)[:width] + [None] * (width - len(r))
                for r in self.cell_ids
            ]
        else:
            self.cell_ids = [[None] * width for _ in self.rows]
        if not self.row_numbers:
            self.row_numbers = list(range(1, len(self.rows) + 1))

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def header(self) -> list[list[str]]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> list[list[str]]:
        return self.rows[self.header_rows :]

    def row_ref(self, body_index: int) -> str:
        return f"{self.name}, row {self.row_numbers[self.header_rows + body_index]}"

    def source_cell(self, row: int, col: int) -> int | None:
        """The id of the source cell behind rows[row][col]; None when unknown."""
        return self.cell_ids[row][col]

    def is_copy_from_left(self, row: int, col: int) -> bool:
        """True when the position holds a copy of the cell to its left (a colspan)."""
        here = self.cell_ids[row][col]
        return col > 0 and here is not None and self.cell_ids[row][col - 1] == here
