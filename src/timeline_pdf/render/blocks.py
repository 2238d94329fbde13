"""Pieces both products share: the title block, the legend and numbered source notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, HRFlowable, Image, Spacer, Table, TableStyle

from timeline_pdf.dates import format_date
from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.layout.schema import CategoryStyle, Layout
from timeline_pdf.model import Report
from timeline_pdf.render.markers import Marker
from timeline_pdf.render.markup import escape, is_foreign, is_safe_url, link
from timeline_pdf.render.lists import list_items
from timeline_pdf.render.page import BookmarkedParagraph
from timeline_pdf.render.plain import paragraph
from timeline_pdf.render.styles import Styles
from timeline_pdf.render.tagging import Tag, TaggedFlowable, artifact_table_parts
from timeline_pdf.render.textpara import TextParagraph
from timeline_pdf.wording import display_title, names, period_text


def title_block(report: Report, styles: Styles, spec: Layout, kicker: str) -> list[Flowable]:
    """Kicker, the title (``H1``), then subtitle, period, byline, contributors, publisher and
    notice as paragraphs; the logo and the rule under the block are artifacts."""
    info = report.info
    title = display_title(report, spec)
    parts: list[Flowable] = logo(spec)
    parts += [
        TextParagraph(escape(kicker.upper()), styles.kicker),
        BookmarkedParagraph(escape(title), styles.title, "title", title, role="H1"),
    ]
    if info.subtitle:
        parts.append(TextParagraph(escape(info.subtitle), styles.subtitle))
    edition = f" · Edition of {format_date(info.edition_date, long=True)}" if info.edition_date else ""
    parts.append(TextParagraph(escape(period_text(report, spec) + edition), styles.byline))
    if info.authors:
        parts.append(TextParagraph("By " + escape(names(info.authors)), styles.byline))
    if info.contributors:
        parts.append(TextParagraph("With contributions from " + escape(names(info.contributors)), styles.meta))
    if info.publisher:
        parts.append(TextParagraph(escape(info.publisher), styles.note))
    if info.notice:
        parts.append(TextParagraph(escape(info.notice), styles.note))
    parts += [Spacer(1, 6), TaggedFlowable(HRFlowable(width="100%", thickness=1.2, color=spec.colours.accent, spaceAfter=8), None)]
    return parts


def _logo_size(spec: Layout, width: float, height: float) -> tuple[float, float]:
    """The logo's printed size: the layout's width, but never wider than a column nor taller than
    a third of the page's text (a tall, narrow image would not fit on any page)."""
    page = spec.page
    room = (page.dimensions()[1] - page.margins.top - page.margins.bottom) / 3
    printed = min(spec.logo.width, page.column_width(), room * width / height if height else spec.logo.width)
    return printed, printed * height / width if width else 0.0


def logo(spec: Layout) -> list[Flowable]:
    """The layout's logo (validated to live beside the layout), scaled to its width."""
    if not spec.logo.file:
        return []
    path = Path(spec.logo.file)
    if path.suffix.lower() == ".svg":
        from svglib.svglib import svg2rlg

        drawing = svg2rlg(str(path))
        if drawing is None or not drawing.width:
            raise TimelinePdfError(f"the logo {path.name} could not be read as SVG", "export the logo again as plain SVG, or use a PNG")
        scale = _logo_size(spec, drawing.width, drawing.height)[0] / drawing.width
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.hAlign = "LEFT"
        return [TaggedFlowable(drawing, None), Spacer(1, 8)]  # an artifact: the publisher is named in the text
    try:
        reader = ImageReader(str(path))
        width, height = reader.getSize()
    except Exception:
        raise TimelinePdfError(f"the logo {path.name} could not be read as PNG", "export the logo again as PNG or SVG") from None
    printed_width, printed_height = _logo_size(spec, width, height)
    image = Image(str(path), width=printed_width, height=printed_height)
    image.hAlign = "LEFT"
    return [TaggedFlowable(image, None), Spacer(1, 8)]


def legend(report: Report, palette: dict[str, CategoryStyle], styles: Styles, width: float, order: tuple[str, ...] = ()) -> Flowable:
    """Markers and names of the categories in use, in the layout's order, else the workbook's:
    a list of the names (``L``/``LI``); the markers are artifacts."""
    used = {e.category for e in report.events}
    rank = {name: index for index, name in enumerate(order)}
    names = sorted((c.name for c in report.categories if c.name in used), key=lambda n: rank.get(n, len(rank)))
    container = Tag("L")
    cells = [[TaggedFlowable(Marker(palette[name], 8), None), TextParagraph(escape(name), styles.meta, tag=Tag("LBody", Tag("LI", container)))] for name in names]
    columns = max(1, min(4, int(width // 125)))
    rows = []
    for start in range(0, len(cells), columns):
        row = [item for pair in cells[start : start + columns] for item in pair]
        rows.append(row + [""] * (2 * columns - len(row)))
    if not rows:
        return Spacer(1, 0)
    column_width = width / columns
    table = Table(rows, colWidths=[12, column_width - 12] * columns, hAlign="LEFT", splitInRow=1, renderCB=artifact_table_parts)  # a very long name may split
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.meta.fontName),  # empty cells would declare Helvetica
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


class SourceNotes:
    """Numbers each distinct source URL in order of first citation and lists them as endnotes;
    ``make(markup, style, tag)`` makes their paragraphs (the benchmark's reference makes
    ReportLab's own)."""

    def __init__(self, spec: Layout, anchors: bool = True, make: Callable[..., Flowable] = paragraph) -> None:
        self.spec, self.make = spec, make
        self.anchors = anchors  # link citation numbers to endnotes (not when notes are footnotes)
        self.urls: list[str] = []
        self._numbers: dict[str, int] = {}

    def cite(self, url: str) -> int:
        if url not in self._numbers:
            self.urls.append(url)
            self._numbers[url] = len(self.urls)
        return self._numbers[url]

    def inline(self, urls: list[str], styles: Styles, tag: Tag | None = None) -> Flowable | None:
        """'Sources: [1] host*, [2] host' with each host a live link."""
        safe = [u for u in urls if is_safe_url(u)]
        if not safe:
            return None
        colour = self.spec.colours.link
        parts = []
        for url in safe:
            number = self.cite(url)
            host = url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
            label = f'<a href="#note-{number}" color="{colour}">[{number}]</a>' if self.anchors else f"[{number}]"
            parts.append(f"{label} " + link(url, escape(host), colour, self.spec.links))
        label = "Source" if len(parts) == 1 else "Sources"
        return self.make(f"{label}: " + ", ".join(parts), styles.meta, tag)

    def listing(self, notes: tuple[tuple[int, str], ...], styles: Styles, parent: Tag | None = None) -> list[Flowable]:
        """Numbered notes as a list, for an entry that cites too many for footnotes."""
        colour = self.spec.colours.link
        entries = [(f"{n}.", [(link(url, escape(url), colour, self.spec.links), styles.small)]) for n, url in notes]
        return list_items(entries, styles.small, self._label_width(styles, max(n for n, _ in notes)), parent, make=self.make)

    def _label_width(self, styles: Styles, largest: int) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(f"{largest}.", styles.small.fontName, styles.small.fontSize) + 1

    def endnotes(self, styles: Styles, heading_role: str = "H2") -> list[Flowable]:
        """The 'Sources' heading and the numbered notes as a list, each note the target of its citations."""
        if not self.urls:
            return []
        colour = self.spec.colours.link
        entries = [(f'<a name="note-{number}"/>{number}.', [(link(url, escape(url), colour, self.spec.links), styles.small)]) for number, url in enumerate(self.urls, start=1)]
        flowables: list[Flowable] = [BookmarkedParagraph("Sources", styles.heading, "sources", "Sources", role=heading_role)]
        flowables += list_items(entries, styles.small, self._label_width(styles, len(self.urls)), make=self.make)
        if any(is_foreign(u, self.spec.links) for u in self.urls):
            flowables.append(self.make("* Link to a foreign domain.", styles.small, None))
        return flowables
