"""A table of figures as reports show it: on the page, one sheet in Excel, one table in a PDF."""

from dataclasses import dataclass


@dataclass
class Table:
    """Rows start with their label; a cell of None is a suppressed small cell."""

    key: str
    title: str
    header: list[str]
    rows: list[list]

    def column(self, name: str) -> list:
        i = self.header.index(name)
        return [row[i] for row in self.rows]
