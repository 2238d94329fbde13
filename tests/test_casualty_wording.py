"""The brief says what is known of casualties: reported zeros with some blank cells are
"0 where reported", never "at least 0"; "at least N" stays for N > 0, "not reported" for none."""

from __future__ import annotations

import shutil
from datetime import date

from conftest import LAYOUTS
from pdf_helpers import text_of
from timeline_pdf.build import build
from xlsx_helpers import write_workbook

HEADERS = ["Date", "Category", "Description", "US Killed", "US Wounded", "Iraqi Killed", "Iraqi Wounded", "Coalition Killed"]


def test_zeros_and_blanks_mixed_never_print_at_least_zero(tmp_path):
    rows = [  # Iraqi Killed: a zero and blanks; US Killed: a zero and a blank in the period, a 2 before it
        {"Date": date(2023, 10, 17), "Category": "Drone attack", "Description": "Drones at al-Asad.", "US Killed": 0, "US Wounded": 2, "Iraqi Killed": 0},
        {"Date": date(2023, 10, 18), "Category": "Rocket attack", "Description": "Rockets at Victory.", "US Wounded": 1},
        {"Date": date(2023, 10, 20), "Category": "Drone attack", "Description": "Drones at Ain al-Asad.", "US Killed": 0, "US Wounded": 0, "Iraqi Wounded": 3},
        {"Date": date(2023, 9, 1), "Category": "Rocket attack", "Description": "Before the period.", "US Killed": 2, "Iraqi Killed": 0},
    ]
    report = {"Title": "Attacks on US Forces", "Period Start": date(2023, 10, 1), "Period End": date(2023, 10, 31), "Reference Date": date(2023, 9, 1)}
    workbook = write_workbook(tmp_path / "mixed.xlsx", rows, headers=HEADERS, report=report)
    workbook.with_suffix(".md").write_text("Attacks continued.\n", encoding="utf-8")
    layouts = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    (brief,) = build(workbook, ("brief",), tmp_path / "out", layouts).built
    text = text_of(brief.path)
    assert "at least 0" not in text
    # group, killed and wounded this period, then since September 1
    assert "US 0 where reported 3 at least 2 at least 3" in text
    assert "Iraqi 0 where reported at least 3 0 where reported at least 3" in text
    assert "Coalition not reported not reported not reported not reported" in text
    assert ("Casualty totals count reported figures only; “at least” and “0 where reported” mark totals where some events did not report that figure."
            in text)
