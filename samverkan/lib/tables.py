"""A table of figures as reports show it: on the page, one sheet in Excel, one table in a PDF."""

import math
from dataclasses import dataclass


@dataclass
class Table:
    """Rows start with their label; a cell of None is a suppressed small cell."""

    key: str
    title: str
    header: list[str]
    rows: list[list]
    parts: bool = True  # rows are parts of one whole: secondary suppression applies to them

    def columns(self) -> list[list]:
        """Each figure column of the rows but a "Totalt" one (the parts of a whole)."""
        parts = [row for row in self.rows if row[0] != "Totalt"]
        return [[row[i] for row in parts] for i in range(1, len(self.header))]

    def column(self, name: str) -> list:
        i = self.header.index(name)
        return [row[i] for row in self.rows]

    def split(self, width: int) -> list["Table"]:
        """The table in parts of at most `width` columns, each led by the row labels, so that a
        wide table fits a printed page; parts as even as they can be."""
        figures = len(self.header) - 1
        count = math.ceil(figures / (width - 1)) if figures else 1
        if count <= 1:
            return [self]
        step = math.ceil(figures / count)
        return [self._part(n + 1, count, 1 + n * step, 1 + (n + 1) * step) for n in range(count)]

    def _part(self, number: int, count: int, start: int, end: int) -> "Table":
        return Table(
            key=f"{self.key}-{number}",
            title=f"{self.title} (del {number} av {count})",
            header=[self.header[0], *self.header[start:end]],
            rows=[[row[0], *row[start:end]] for row in self.rows],
            parts=self.parts,
        )
