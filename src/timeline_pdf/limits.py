"""Size limits that keep a hostile or broken file from exhausting memory.

An .xlsx file is a zip archive of XML; a few kilobytes can unpack to gigabytes (a
"decompression bomb"). The reader checks the sizes the archive declares before anything is
unpacked, and Python's zip reader never produces more than a member declares, so the check holds.

The limit is a setting: ``TIMELINE_PDF_MAX_UNPACKED_MB`` in the environment (default 200) caps
the unpacked size of a workbook and the size of a CSV file, in megabytes. A real events workbook
is far below it: 10,000 events with every column filled unpack to about 15 MB.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from timeline_pdf.errors import TimelinePdfError

ENVIRONMENT_VARIABLE = "TIMELINE_PDF_MAX_UNPACKED_MB"
DEFAULT_MAX_UNPACKED_MB = 200
MAX_ARCHIVE_MEMBERS = 10_000  # an Excel workbook has a few dozen parts


@dataclass(frozen=True)
class Limits:
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_MB * 1_000_000
    max_members: int = MAX_ARCHIVE_MEMBERS

    @property
    def max_unpacked_mb(self) -> float:
        return self.max_unpacked_bytes / 1_000_000


def current_limits() -> Limits:
    """The limits in force, from the environment when set there."""
    text = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not text:
        return Limits()
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1
    if not megabytes > 0:
        raise TimelinePdfError(
            f"{ENVIRONMENT_VARIABLE} is set to {text!r}, which is not a positive number of megabytes",
            f"set it to a number such as {DEFAULT_MAX_UNPACKED_MB}, or unset it to use the default",
        )
    return Limits(max_unpacked_bytes=int(megabytes * 1_000_000))
