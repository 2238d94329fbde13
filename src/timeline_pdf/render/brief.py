"""The brief: title, summary, headline figures, charts, notable events.

Its words about the subject come from the workbook (the Report sheet's Brief Label and Attacks
Label, the Categories sheet's plurals), never from the code; category names print as typed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from timeline_pdf.dates import format_date
from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.layout.schema import BRIEF_SECTIONS
from timeline_pdf.metrics import Figures, headline_figures
from timeline_pdf.model import Report
from timeline_pdf.render.blocks import SourceNotes, title_block
from timeline_pdf.render.lists import ListItem
from timeline_pdf.render.markdown import summary_flowables
from timeline_pdf.render.markup import escape
from timeline_pdf.render.page import BookmarkedParagraph
from timeline_pdf.render.pdf import Rendered, write_pdf
from timeline_pdf.render.styles import Styles, build_styles
from timeline_pdf.render.tagging import Tag, TaggedFlowable, artifact_table_parts
from timeline_pdf.render.textpara import TextParagraph
from timeline_pdf.summary import fill_summary
from timeline_pdf.typography import follows_layout
from timeline_pdf.wording import casualty_rows, figure_details, headline_cards


@dataclass(frozen=True)
class Cut:
    """How much of the brief is left out to meet the page budget."""

    notable_descriptions: bool = True
    notable_limit: int | None = None
    summary_lists: bool = True
    dropped: frozenset[str] = frozenset()


# Applied one after another, cumulatively (sections dropped stay dropped), until the brief fits
# its page budget. ``Brief.max_pages`` in the layout schema documents this order.
TRIMS: tuple[tuple[str, dict], ...] = (
    ("locator map", {"dropped": frozenset({"map"})}),
    ("locations chart", {"dropped": frozenset({"locations_chart"})}),
    ("descriptions of notable events", {"notable_descriptions": False}),
    ("casualty chart", {"dropped": frozenset({"casualty_chart"})}),
    ("notable events beyond the five latest", {"notable_limit": 5}),
    ("bullet lists of the summary", {"summary_lists": False}),
    ("notable events and sources", {"dropped": frozenset({"notable_events", "sources"})}),
    ("frequency chart", {"dropped": frozenset({"frequency_chart"})}),
)
CHART_KINDS = {"frequency_chart": "frequency", "casualty_chart": "casualties", "locations_chart": "locations", "map": "map"}  # section -> chart
PAIRED = {"locations_chart", "map"}  # side by side when one follows the other (and the map has something to show)
PAIR_GAP = 18.0  # points between the locations chart and the map when they share a row
PAIR_SPLIT = 0.42  # the locations chart's share of that row
PAIR_ASPECT = 0.86  # the row's height over the map's width


@follows_layout
def render_brief(report: Report, layout: LoadedLayout, fonts: DocumentFonts) -> Rendered:
    """Build the brief; while it is over its page budget, leave out more, by ``TRIMS``."""
    if report.summary_markdown:  # live figures counted once, before any attempt at the budget
        report = replace(report, summary_markdown=fill_summary(report))
    spec = layout.spec
    styles = build_styles(spec, fonts)
    figures = headline_figures(report)
    width = spec.page.dimensions()[0] - spec.page.margins.left - spec.page.margins.right
    charts = _Charts(report, layout, fonts, width)
    prepare_charts(report, layout, fonts)  # all at once: two processes draw them when they can
    cut, left_out = Cut(), []
    # Each attempt stops as soon as a page beyond the budget begins (None): only the one that
    # fits is laid out to its end, so a long brief costs little more than a short one.
    budget = spec.brief.max_pages
    rendered = _render(report, layout, fonts, styles, figures, charts, cut, width, budget)
    for name, change in TRIMS:
        if rendered is not None:
            break
        if "dropped" in change:
            change = {**change, "dropped": cut.dropped | change["dropped"]}
        cut = replace(cut, **change)
        left_out.append(name)
        rendered = _render(report, layout, fonts, styles, figures, charts, cut, width, budget)
    if rendered is None:  # over the budget with everything left out that may be: count its pages
        rendered = _render(report, layout, fonts, styles, figures, charts, cut, width)
    notes = [f"left out the {', the '.join(left_out)} to fit {spec.brief.max_pages} page(s)"] if left_out else []
    if rendered.pages > spec.brief.max_pages:
        notes.append(f"the brief still takes {rendered.pages} pages; shorten the summary or raise brief.max_pages")
    return replace(rendered, notes=tuple(notes))


def _render(report: Report, layout: LoadedLayout, fonts: DocumentFonts, styles: Styles, figures: Figures, charts: _Charts, cut: Cut, width: float, page_limit: int | None = None) -> Rendered | None:
    spec = layout.spec
    notes = SourceNotes(spec)
    order = [s for s in (spec.sections or BRIEF_SECTIONS) if s not in cut.dropped]
    role = "H2" if "title" in order else "H1"  # section headings sit under the title's H1
    sections = {
        "title": lambda: title_block(report, styles, spec, report.info.brief_label),
        "summary": lambda: _summary(report, styles, layout, cut.summary_lists, role),
        "figures": lambda: _figures(report, figures, styles, layout, width, role),
        "frequency_chart": lambda: charts.section("Attacks over time", "frequency", styles, role),
        "casualty_chart": lambda: charts.section("Casualties in attacks", "casualties", styles, role),
        "locations_chart": lambda: charts.section("Where attacks took place", "locations", styles, role),
        "map": lambda: charts.section("Where events took place", "map", styles, role),
        "notable_events": lambda: _notable(figures, styles, notes, width, cut, role),
        "sources": lambda: notes.endnotes(styles, role),
    }
    story: list[Flowable] = []
    for row in section_rows(order, charts.pairable()):
        story += charts.pair("Where events took place", tuple(CHART_KINDS[s] for s in row), styles, role) if len(row) == 2 else sections[row[0]]()
    return write_pdf(story, report, layout, fonts, subject=report.info.brief_label, page_limit=page_limit)


def section_rows(order: list[str], pairable: bool) -> list[tuple[str, ...]]:
    """The sections as the brief sets them: one a row, but the locations chart and the map
    sharing one when they follow one another and ``pairable``."""
    rows: list[tuple[str, ...]] = []
    for section in order:
        if pairable and rows and len(rows[-1]) == 1 and {rows[-1][0], section} == PAIRED:
            rows[-1] = (rows[-1][0], section)
        else:
            rows.append((section,))
    return rows


class _Charts:
    """The brief's charts, drawn once per process for the same data and look (see
    :mod:`timeline_pdf.charts.cache`) and reused by every attempt at the page budget.

    The locations chart and the map share a row when they follow one another in the sections
    (and the map has something to show); alone, each takes the full width.
    """

    def __init__(self, report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float) -> None:
        self.report, self.layout, self.fonts, self.width = report, layout, fonts, width

    def drawing(self, kind: str, width: float, height: float) -> Drawing | None:
        from timeline_pdf.charts.cache import chart_drawing

        return chart_drawing(kind, self.report, self.layout, self.fonts, width, height)

    def figure(self, kind: str, width: float, height: float) -> Flowable | None:
        """The chart as one ``Figure`` whose alternative text states its data."""
        from timeline_pdf.charts.describe import describe

        drawing = self.drawing(kind, width, height)
        if drawing is None:
            return None
        return TaggedFlowable(drawing, Tag("Figure", alt=describe(kind, self.report, self.layout)))

    def section(self, title: str, kind: str, styles: Styles, role: str = "H2") -> list[Flowable]:
        figure = self.figure(kind, self.width, self.layout.spec.charts.height)
        if figure is None:  # nothing to draw, such as a map without coordinates
            return []
        return [CondPageBreak(figure.wrap(self.width, 10_000)[1] + 40), _heading(title, f"chart-{kind}", styles, role), figure]

    def pairable(self) -> bool:
        from timeline_pdf.charts.locator import located_events

        return bool(located_events(self.report))

    def pair_sizes(self, kinds: tuple[str, str]) -> list[tuple[float, float]]:
        """(width, height) of two charts side by side: the locations chart narrower, the map wider."""
        narrow = (self.width - PAIR_GAP) * PAIR_SPLIT
        wide = self.width - PAIR_GAP - narrow
        height = round(wide * PAIR_ASPECT)
        return [(narrow if kind == "locations" else wide, height) for kind in kinds]

    def pair(self, title: str, kinds: tuple[str, str], styles: Styles, role: str = "H2") -> list[Flowable]:
        """Two charts side by side under one heading (a layout table, not a data table)."""
        sizes = self.pair_sizes(kinds)
        drawings = [self.figure(kind, w, h) for kind, (w, h) in zip(kinds, sizes)]
        table = Table([drawings], colWidths=[sizes[0][0] + PAIR_GAP, sizes[1][0]], hAlign="LEFT", renderCB=artifact_table_parts)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.meta.fontName), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [CondPageBreak(sizes[0][1] + 40), _heading(title, "chart-where", styles, role), table]

    def needed(self, order: list[str]) -> list[tuple[str, float, float]]:
        """(kind, width, height) of every chart the sections in ``order`` draw."""
        found: list[tuple[str, float, float]] = []
        for row in section_rows(order, self.pairable()):
            if len(row) == 2:
                pair = tuple(CHART_KINDS[s] for s in row)
                found += [(kind, w, h) for kind, (w, h) in zip(pair, self.pair_sizes(pair))]
            elif row[0] in CHART_KINDS:
                found.append((CHART_KINDS[row[0]], self.width, self.layout.spec.charts.height))
        return found


def prepare_charts(report: Report, layout: LoadedLayout, fonts: DocumentFonts) -> int:
    """Draw every chart the brief will show (they are kept for its rendering); how many."""
    spec = layout.spec
    width = spec.page.dimensions()[0] - spec.page.margins.left - spec.page.margins.right
    from timeline_pdf.charts.cache import prepare

    charts = _Charts(report, layout, fonts, width)
    needed = charts.needed(list(spec.sections or BRIEF_SECTIONS))
    prepare(report, layout, fonts, needed)
    return len(needed)


def _heading(text: str, key: str, styles: Styles, role: str = "H2") -> Flowable:
    return BookmarkedParagraph(escape(text), styles.heading, key, text, role=role)


def _summary(report: Report, styles: Styles, layout: LoadedLayout, lists: bool, role: str = "H2") -> list[Flowable]:
    if not report.summary_markdown:
        return []
    below = f"H{int(role[1]) + 1}"  # the summary's own headings start one level down
    return [_heading("Summary", "summary", styles, role), *summary_flowables(report.summary_markdown, styles, layout.spec, lists=lists, top=below)]


def _figures(report: Report, figures: Figures, styles: Styles, layout: LoadedLayout, width: float, role: str = "H2") -> list[Flowable]:
    spec = layout.spec
    cards = headline_cards(report, figures)
    container = Tag("L")  # each card reads as one item: the number, then what it counts
    row = []
    for value, label in cards:
        item = Tag("LI", container)
        row.append([TextParagraph(escape(value), styles.figure, tag=Tag("Lbl", item)), TextParagraph(escape(label), styles.figure_label, tag=Tag("LBody", item))])
    card_table = Table([row], colWidths=[width / len(row)] * len(row), hAlign="LEFT", splitInRow=1, renderCB=artifact_table_parts)
    card_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.meta.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.6, HexColor(spec.colours.rule)),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("LEFTPADDING", (1, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
    ]))
    flowables: list[Flowable] = [_heading("Headline figures", "figures", styles, role), card_table, Spacer(1, 8)]
    flowables.append(_casualty_table(figures, styles, spec, width))
    details = [f"<b>{escape(lead)}</b> {escape(text)}" for lead, text in figure_details(figures)]
    details.append(escape(figures.casualty_note()))
    flowables += [Spacer(1, 4)] + [TextParagraph(text, styles.meta) for text in details]
    return [KeepTogether(flowables)]


def _casualty_table(figures: Figures, styles: Styles, spec, width: float) -> Flowable:
    """Killed and wounded by group, for the period and (when set) since the reference date."""
    since = figures.reference_date is not None
    spans = [("This period", 1)] + ([(f"Since {format_date(figures.reference_date)}", 3)] if since else [])
    top = ["Casualties in attacks", "", ""] + (["", ""] if since else [])
    for label, column in spans:
        top[column] = label
    second = ["Group", "Killed", "Wounded"] + (["Killed", "Wounded"] if since else [])
    table_tag = Tag("Table")
    # A data table for a screen reader: header cells say what they head; spans are column spans.
    rows = []
    for index, header in enumerate((top, second)):
        row_tag = Tag("TR", table_tag)
        rows.append([TextParagraph(f"<b>{escape(h)}</b>", styles.meta, tag=Tag("TH", row_tag, attributes=_header_scope(index, column, top, h)))
                     for column, h in enumerate(header)])
    for row in casualty_rows(figures):
        row_tag = Tag("TR", table_tag)
        rows.append([TextParagraph(escape(cell), styles.meta, tag=Tag("TH", row_tag, attributes={"O": "Table", "Scope": "/Row"}) if column == 0 else Tag("TD", row_tag))
                     for column, cell in enumerate(row)])
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
    table = Table(rows, colWidths=[first] + [rest] * (len(second) - 1), hAlign="LEFT", splitInRow=1, renderCB=artifact_table_parts)
    table.setStyle(TableStyle(commands))
    table.structure_tag = table_tag  # its /BBox, when it is drawn on one page
    return table


def _header_scope(row: int, column: int, top: list[str], text: str) -> dict[str, object]:
    """A column header's attributes: the period labels of the first row span two columns."""
    spans = row == 0 and column > 0 and bool(text)
    return {"O": "Table", "Scope": "/Column", **({"ColSpan": 2} if spans else {})}


def _notable(figures: Figures, styles: Styles, notes: SourceNotes, width: float, cut: Cut, role: str = "H2") -> list[Flowable]:
    """The period's key events as a list: the date is each item's label."""
    events = figures.key_events[-cut.notable_limit :] if cut.notable_limit else figures.key_events
    if not events:
        return []
    container = Tag("L")
    items: list[Flowable] = []
    for event in events:
        text = f"<b>{escape(event.headline or event.category)}.</b> "
        if cut.notable_descriptions or not event.headline:
            text += escape(_excerpt(event.description))
        refs = [notes.cite(s.url) for s in event.sources]
        if refs:
            colour = notes.spec.colours.link
            text += " " + " ".join(f'<a href="#note-{n}" color="{colour}"><super>{n}</super></a>' for n in refs)
        item = Tag("LI", container)
        date = TextParagraph(escape(format_date(event.date, event.date_precision)), styles.date, tag=Tag("Lbl", item))
        items.append(ListItem(date, [TextParagraph(text, styles.bullet, tag=Tag("LBody", item))], NOTABLE_DATE_WIDTH, gap=0, spacing=0))
        items.append(Spacer(1, 4))
    return [CondPageBreak(80), _heading("Notable events", "notable", styles, role), *items]


NOTABLE_DATE_WIDTH = 72.0  # the notable events' date column
NOTABLE_CHARS = 1_000  # of a notable event's description in the brief; the timeline has it all


def _excerpt(text: str, limit: int = NOTABLE_CHARS) -> str:
    """The text, or its first ``limit`` characters cut at a word and ended with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut.rsplit(None, 1)[0] if " " in cut[limit // 2 :] else cut).rstrip(" ,;:") + "…"
