"""What a layout asks of the data that the data lacks is said, never silently dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from timeline_pdf.build import build, build_all
from timeline_pdf.errors import LayoutError, WorkbookError

WORKBOOK = Path("inputs/escalation.xlsx")


def layout(project: Path, name: str, text: str) -> str:
    (project / "layouts" / f"{name}.toml").write_text(text, encoding="utf-8")
    return name


def test_a_chart_group_the_workbook_lacks_is_an_error_with_did_you_mean(project):
    """The brief used to say 'No casualties reported in this period' for a misspelt group."""
    name = layout(project, "groups", 'extends = "brief.toml"\noutput = "{stem}-groups-brief.pdf"\n[charts]\ngroups = ["US", "Coalitoin"]\n')
    with pytest.raises(LayoutError) as info:
        build(WORKBOOK, (name,), Path("out"), Path("layouts"))
    (finding,) = info.value.findings
    assert (finding.code, finding.key, finding.file) == ("chart-group-unknown", "charts.groups[1]", str(Path("layouts/groups.toml")))
    assert "'Coalitoin'" in finding.message
    assert finding.hint.startswith("did you mean 'Coalition'? The groups in the workbook are: US, Coalition, Iraqi")
    assert not Path("out").exists()
    result = build_all(WORKBOOK, Path("out"), Path("layouts"), layout_names=(name, "timeline"))  # the other products still build
    assert [p.layout for p in result.built] == ["timeline"] and [f.layout for f in result.failed] == [name]


def test_existing_chart_groups_build_matched_as_headers_are(project):
    """'us' is the group 'US', as a header 'us killed' is: the chart shows the US, not nothing."""
    from pdf_helpers import structure

    name = layout(project, "groups", 'extends = "brief.toml"\noutput = "{stem}-groups-brief.pdf"\n[charts]\ngroups = ["us", "Iraqi"]\n')
    result = build(WORKBOOK, (name,), Path("out"), Path("layouts"))
    assert not [f for f in result.findings if f.code == "chart-group-unknown"]
    assert len(PdfReader(result.built[0].path).pages) == result.built[0].pages
    (casualties,) = [n.alt for n in structure(result.built[0].path).walk() if n.role == "Figure" and "killed and wounded" in (n.alt or "")]
    assert "US: at least 3 killed, at least 117 wounded" in casualties and "Iraqi:" in casualties and "Coalition" not in casualties


def test_a_palette_entry_that_looks_like_a_typo_is_a_warning_and_unused_ones_a_note(project):
    name = layout(project, "typo", 'extends = "timeline.toml"\noutput = "{stem}-typo-timeline.pdf"\n[palette."Rocket atack"]\ncolour = "#000000"\n[palette."Tank battle"]\ncolour = "#111111"\n')
    result = build(WORKBOOK, (name,), Path("out"), Path("layouts"))
    found = {f.code: f for f in result.findings if f.code.startswith("layout-category")}
    typo = found["layout-category-unknown"]
    assert (typo.severity, typo.key, typo.file) == ("warning", "palette.Rocket atack", str(Path("layouts/typo.toml")))
    assert typo.hint.startswith("did you mean 'Rocket attack'?")
    unused = found["layout-category-unused"]  # a category of other workbooks, far from any of this one's
    assert (unused.severity, unused.key, unused.file) == ("note", "palette", str(Path("layouts/typo.toml")))
    assert "'Tank battle'" in unused.message and "'Rocket atack'" not in unused.message
    with pytest.raises(WorkbookError) as info:  # --strict: the typo stops the build
        build(WORKBOOK, (name,), Path("strict"), Path("layouts"), strict=True)
    assert info.value.strict and any(f.code == "layout-category-unknown" for f in info.value.findings)


def test_a_legend_order_entry_naming_no_category_is_said(project):
    name = layout(project, "order", 'extends = "timeline.toml"\noutput = "{stem}-order-timeline.pdf"\n[timeline]\ncategory_order = ["US strikes", "Rocket attack", "Tank battle"]\n')
    result = build(WORKBOOK, (name,), Path("out"), Path("layouts"))
    found = [f for f in result.findings if f.key.startswith("timeline.category_order")]
    assert [(f.severity, f.key) for f in found] == [("warning", "timeline.category_order[0]"), ("note", "timeline.category_order")]
    assert found[0].hint.startswith("did you mean 'US strike'?") and "'Tank battle'" in found[1].message


def test_each_finding_is_reported_once_for_products_sharing_a_base(project):
    base = project / "layouts" / "base.toml"
    base.write_text(base.read_text() + '\n[palette."Tank battle"]\ncolour = "#111111"\n')
    result = build(WORKBOOK, (), Path("out"), Path("layouts"))
    notes = [f for f in result.findings if f.code == "layout-category-unused"]
    assert len(notes) == 1 and len(result.built) == 4


def test_categories_alike_but_real_are_not_typos_and_strict_builds(project):
    """'Raid attack', 'Mine attack' and 'Bomb attack' look like the shipped palette's 'IED
    attack' and 'Mob attack' to a similarity ratio, but are categories of their own: the shipped
    layouts give no warning for them, so --strict builds."""
    from datetime import date

    from xlsx_helpers import write_workbook

    rows = [{"Date": date(2020, 1, 1 + i), "Category": name, "Description": "An attack."} for i, name in enumerate(("Raid attack", "Mine attack", "Bomb attack"))]
    workbook = write_workbook(project / "inputs" / "alike.xlsx", rows, categories={"Raid attack": "attack", "Mine attack": "attack", "Bomb attack": "attack"})
    workbook.with_suffix(".md").write_text("Three attacks.\n")  # no warning about a missing summary either
    result = build(workbook, (), Path("out"), Path("layouts"), strict=True)
    assert len(result.built) == 4  # both timelines, the brief and the page
    assert not [f for f in result.findings if f.code == "layout-category-unknown"]
