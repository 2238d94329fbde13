"""Limits that keep a hostile or broken input from exhausting memory, time or disk.

An .xlsx file is a zip archive of XML; a few kilobytes can unpack to gigabytes (a
"decompression bomb"), and a few megabytes of XML can hold millions of cells, each of which
costs hundreds of bytes once loaded. So before a workbook is opened, the reader checks the
sizes its parts declare (Python's zip reader never produces more than a part declares) and
counts the rows and cells of every sheet as it streams through them, stopping at the limit.

Every limit is a setting, read from the environment:

====================================  =========  ===============================================
setting                               default    limits
====================================  =========  ===============================================
``TIMELINE_PDF_MAX_UNPACKED_MB``      200        the size of a workbook file, of its unpacked
                                                 parts together, of a CSV file and of the
                                                 summary, in megabytes
``TIMELINE_PDF_MAX_ROWS``             50,000     rows in any sheet; a workbook may also hold at
                                                 most 20 filled cells per row on average
``TIMELINE_PDF_MAX_CELL_CHARS``       100,000    characters in one cell
``TIMELINE_PDF_MAX_PAGES``            5,000      pages of one product
====================================  =========  ===============================================

A real events workbook is far below them: 10,000 events with every column filled unpack to
about 15 MB and make a timeline of about 500 pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from timeline_pdf.errors import TimelinePdfError

ENVIRONMENT_VARIABLE = "TIMELINE_PDF_MAX_UNPACKED_MB"
ROWS_VARIABLE = "TIMELINE_PDF_MAX_ROWS"
CELL_CHARS_VARIABLE = "TIMELINE_PDF_MAX_CELL_CHARS"
PAGES_VARIABLE = "TIMELINE_PDF_MAX_PAGES"
DEFAULT_MAX_UNPACKED_MB = 200
DEFAULT_MAX_ROWS = 50_000
DEFAULT_MAX_CELL_CHARS = 100_000
DEFAULT_MAX_PAGES = 5_000
CELLS_PER_ROW = 20  # the average a workbook may fill: a million cells by default
MAX_ARCHIVE_MEMBERS = 10_000  # an Excel workbook has a few dozen parts


@dataclass(frozen=True)
class Limits:
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_MB * 1_000_000
    max_members: int = MAX_ARCHIVE_MEMBERS
    max_rows: int = DEFAULT_MAX_ROWS
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS
    max_pages: int = DEFAULT_MAX_PAGES

    @property
    def max_unpacked_mb(self) -> float:
        return self.max_unpacked_bytes / 1_000_000

    @property
    def max_cells(self) -> int:
        """Filled (stored) cells in a whole workbook: each costs memory once loaded."""
        return self.max_rows * CELLS_PER_ROW


def current_limits() -> Limits:
    """The limits in force, from the environment where set there."""
    megabytes = _setting(ENVIRONMENT_VARIABLE, "a positive number of megabytes", DEFAULT_MAX_UNPACKED_MB, float)
    return Limits(
        max_unpacked_bytes=int(megabytes * 1_000_000),
        max_rows=_setting(ROWS_VARIABLE, "a positive whole number of rows", DEFAULT_MAX_ROWS, int),
        max_cell_chars=_setting(CELL_CHARS_VARIABLE, "a positive whole number of characters", DEFAULT_MAX_CELL_CHARS, int),
        max_pages=_setting(PAGES_VARIABLE, "a positive whole number of pages", DEFAULT_MAX_PAGES, int),
    )


def _setting(name: str, what: str, default, kind):
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text.replace("_", "").replace(",", ""))
    except ValueError:
        value = -1
    if not value > 0 or value != value or value == float("inf"):
        raise TimelinePdfError(f"{name} is set to {text!r}, which is not {what}", f"set it to a number such as {default}, or unset it to use the default")
    return value
