"""The proxy-escalation brief: title, summary, headline figures, charts, notable events."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.metrics import Figures, headline_figures
from timeline_pdf.model import Report
from timeline_pdf.render.blocks import SourceNotes, long_date, title_block
from timeline_pdf.render.markdown import summary_flowables
from timeline_pdf.render.markup import escape
from timeline_pdf.render.page import BookmarkedParagraph
from timeline_pdf.render.styles import Styles, build_styles
from timeline_pdf.render.timeline import write_pdf


def render_brief(report: Report, layout: LoadedLayout, fonts: DocumentFonts) -> bytes:
    spec = layout.spec
    styles = build_styles(spec, fonts)
    figures = headline_figures(report)
    notes = SourceNotes(spec)
    width = spec.page.dimensions()[0] - spec.page.margins.left - spec.page.margins.right
    sections = {
        "title": lambda: title_block(report, styles, spec, "Proxy-escalation brief"),
        "summary": lambda: _summary(report, styles, layout),
        "figures": lambda: _figures(figures, styles, layout, width),
        "frequency_chart": lambda: _chart("Attacks over time", "frequency", report, layout, fonts, styles, width),
        "casualty_chart": lambda: _chart("Casualties in attacks", "casualties", report, layout, fonts, styles, width),
        "notable_events": lambda: _notable(figures, styles, notes, width),
        "sources": lambda: notes.endnotes(styles),
    }
    story: list[Flowable] = []
    for section in spec.sections or tuple(sections):
        story += sections[section]()
    return write_pdf(story, report, layout, fonts, subject="Proxy-escalation brief")


def _heading(text: str, key: str, styles: Styles) -> Flowable:
    return BookmarkedParagraph(escape(text), styles.heading, key, text)


def _summary(report: Report, styles: Styles, layout: LoadedLayout) -> list[Flowable]:
    if not report.summary_markdown:
        return []
    return [_heading("Summary", "summary", styles), *summary_flowables(report.summary_markdown, styles, layout.spec)]


def _figures(figures: Figures, styles: Styles, layout: LoadedLayout, width: float) -> list[Flowable]:
    spec = layout.spec
    period = f"{_short(figures.period.start)} – {_short(figures.period.end)}"
    cards = [(f"{figures.attacks:,}", f"attacks on US and coalition positions, {period}")]
    if figures.reference_date is not None and figures.attacks_since_reference is not None:
        cards.append((f"{figures.attacks_since_reference:,}", f"attacks since {long_date(figures.reference_date)}"))
    if figures.attacks_by_category:
        top, count = figures.attacks_by_category[0]
        cards.append((f"{count:,}", f"{top.lower()}s, the most common kind of attack"))
    row = [[Paragraph(escape(value), styles.figure), Paragraph(escape(label), styles.figure_label)] for value, label in cards]
    card_table = Table([row], colWidths=[width / len(row)] * len(row), hAlign="LEFT")
    card_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.meta.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.6, HexColor(spec.colours.rule)),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("LEFTPADDING", (1, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
    ]))
    flowables: list[Flowable] = [_heading("Headline figures", "figures", styles), card_table, Spacer(1, 8)]
    flowables.append(_casualty_table(figures, styles, spec, width))
    details = []
    if figures.attacks_by_category:
        details.append("<b>Attacks by category:</b> " + escape(" · ".join(f"{name} {count}" for name, count in figures.attacks_by_category)))
    if figures.largest_attack is not None:
        event = figures.largest_attack
        details.append(f"<b>Largest attack:</b> {escape(long_date(event.date))}, {escape(event.headline or event.category)}")
    details.append("Casualty totals count reported figures only; “at least” marks totals where some events did not report that figure.")
    flowables += [Spacer(1, 4)] + [Paragraph(text, styles.meta) for text in details]
    return [KeepTogether(flowables)]


def _casualty_table(figures: Figures, styles: Styles, spec, width: float) -> Flowable:
    """Killed and wounded by group, for the period and (when set) since the reference date."""
    since = figures.reference_date is not None
    spans = [("This period", 1)] + ([(f"Since {_short(figures.reference_date)}", 3)] if since else [])
    top = ["Casualties in attacks", "", ""] + (["", ""] if since else [])
    for label, column in spans:
        top[column] = label
    second = ["Group", "Killed", "Wounded"] + (["Killed", "Wounded"] if since else [])
    rows = [[Paragraph(f"<b>{escape(h)}</b>", styles.meta) for h in header] for header in (top, second)]
    for index, group in enumerate(figures.casualties):
        row = [group.group, str(group.killed), str(group.wounded)]
        if since:
            later = figures.casualties_since_reference[index]
            row += [str(later.killed), str(later.wounded)]
        rows.append([Paragraph(escape(cell), styles.meta) for cell in row])
    first = width * 0.24
    rest = (width - first) / (len(second) - 1)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), styles.meta.fontName),
        ("SPAN", (1, 0), (2, 0)),
        ("LINEBELOW", (1, 0), (-1, 0), 0.4, HexColor(spec.colours.rule)),
        ("LINEBELOW", (0, 1), (-1, 1), 0.8, HexColor(spec.colours.accent)),
        ("LINEBELOW", (0, 2), (-1, -1), 0.3, HexColor(spec.colours.rule)),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if since:
        commands.append(("SPAN", (3, 0), (4, 0)))
    table = Table(rows, colWidths=[first] + [rest] * (len(second) - 1), hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _chart(title: str, kind: str, report: Report, layout: LoadedLayout, fonts: DocumentFonts, styles: Styles, width: float) -> list[Flowable]:
    from timeline_pdf.charts import casualty_chart, frequency_chart

    drawing = (frequency_chart if kind == "frequency" else casualty_chart)(report, layout, fonts, width)
    return [CondPageBreak(drawing.height + 40), _heading(title, f"chart-{kind}", styles), drawing]


def _notable(figures: Figures, styles: Styles, notes: SourceNotes, width: float) -> list[Flowable]:
    if not figures.key_events:
        return []
    rows = []
    for event in figures.key_events:
        text = f"<b>{escape(event.headline)}.</b> " if event.headline else ""
        text += escape(event.description)
        refs = [notes.cite(s.url) for s in event.sources]
        if refs:
            colour = notes.spec.colours.link
            text += " " + " ".join(f'<a href="#note-{n}" color="{colour}"><super>{n}</super></a>' for n in refs)
        rows.append([Paragraph(escape(_short(event.date)), styles.date), Paragraph(text, styles.bullet)])
    table = Table(rows, colWidths=[72, width - 72], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.meta.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return [CondPageBreak(80), _heading("Notable events", "notable", styles), table]


def _short(day) -> str:
    return f"{day:%b} {day.day}, {day.year}"
