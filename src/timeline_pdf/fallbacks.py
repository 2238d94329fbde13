"""What a layout asks of the data that the data does not have.

A layout is shared by many workbooks, so it is checked against each one's report when a product
is built: a casualty group the casualty chart should show but the workbook lacks is an error
(the chart would say "no casualties reported"); a palette or legend-order entry that names no
category is a warning when it looks like a typo of one that exists (that category silently took
a default colour or place), else a note (the entry is for other workbooks).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from timeline_pdf.contract import normalise
from timeline_pdf.errors import Finding
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.layout.schema import BRIEF_SECTIONS
from timeline_pdf.model import Report


def layout_findings(layout: LoadedLayout, report: Report) -> list[Finding]:
    """Every finding about ``layout``'s keys that name groups or categories ``report`` lacks."""
    spec = layout.spec
    findings: list[Finding] = []
    if spec.product == "brief" and "casualty_chart" in (spec.sections or BRIEF_SECTIONS):
        findings += _groups(layout, report)
    categories = [c.name for c in report.categories]
    findings += _names(layout, "palette", list(spec.palette), categories, "its colour, marker and hatch")
    if spec.product == "timeline":
        findings += _names(layout, "timeline.category_order", list(spec.timeline.category_order), categories, "its place in the legend")
    return findings


def _groups(layout: LoadedLayout, report: Report) -> list[Finding]:
    findings = []
    known = ", ".join(report.groups) or "none (the workbook has no '<Group> Killed' or '<Group> Wounded' column)"
    matched = {normalise(group) for group in report.groups}
    for index, group in enumerate(layout.spec.charts.groups):
        if normalise(group) in matched:  # as headers are matched: 'us' is 'US'
            continue
        near = difflib.get_close_matches(group, report.groups, n=1)
        hint = f"did you mean '{near[0]}'? " if near else ""
        findings.append(Finding("error", f"charts.groups names '{group}', but the workbook has no casualty columns for that group, so the chart would show none",
                                f"{hint}The groups in the workbook are: {known}; or leave charts.groups empty to chart every group",
                                file=str(layout.origin("charts.groups")), key=f"charts.groups[{index}]", code="chart-group-unknown"))
    return findings


def _typo_of(name: str, categories: list[str]) -> list[str]:
    """The category ``name`` is likely a misspelling of, if any: the same name but for case,
    spaces, punctuation or a plural 's', or one letter added, dropped or changed ('Rocket
    atack'). Other names, however alike ('Raid attack' and 'IED attack', 'Bomb attack' and
    'Mob attack'), are categories of their own."""
    key = normalise(name)
    for category in categories:
        other = normalise(category)
        if key in (other, other + "s") or other == key + "s" or (min(len(key), len(other)) >= 4 and _one_edit_apart(key, other)):
            return [category]
    return []


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one letter inserted, deleted or replaced turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return a[index + 1 :] == b[index + 1 :] if len(a) == len(b) else a[index:] == b[index + 1 :]
    return True


def _names(layout: LoadedLayout, key: str, entries: list[str], categories: list[str], what: str) -> list[Finding]:
    """A warning with did-you-mean for each entry that looks like a typo of a category; a note
    listing the entries that name no category at all, one per layout file that set them."""
    findings: list[Finding] = []
    unused: dict[Path, list[str]] = {}
    for index, name in enumerate(entries):
        if name in categories:
            continue
        near = _typo_of(name, categories)
        where = f"{key}.{name}" if key == "palette" else f"{key}[{index}]"
        if not near:
            unused.setdefault(layout.origin(where), []).append(name)
            continue
        findings.append(Finding("warning", f"{key} names '{name}', which is not a category of the workbook, so '{near[0]}' does not get {what} from it",
                                f"did you mean '{near[0]}'? Correct the name in the layout (names must match exactly)",
                                file=str(layout.origin(where)), key=where, code="layout-category-unknown"))
    for file, names in unused.items():
        listed = ", ".join(f"'{name}'" for name in names)
        findings.append(Finding("note", f"{key} lists {listed}, which no category of the workbook has; unused in this product",
                                "nothing to do when these categories belong to other workbooks; otherwise remove them from the layout",
                                file=str(file), key=key, code="layout-category-unused"))
    return findings
