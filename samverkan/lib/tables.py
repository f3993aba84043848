"""A table of figures as reports show it: on the page, one sheet in Excel, one table in a PDF."""

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
