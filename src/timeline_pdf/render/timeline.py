"""The escalation timeline: title block, legend, events by month, numbered source notes."""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import groupby

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from timeline_pdf.dates import format_date, format_span
from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.manifest import event_ids
from timeline_pdf.model import Event, Report
from timeline_pdf.palette import category_styles
from timeline_pdf.render.blocks import SourceNotes, legend, title_block
from timeline_pdf.collection import fewer_collections
from timeline_pdf.render.entry import EntryFlowable, EntryGeometry
from timeline_pdf.render.footnotes import Footnotes
from timeline_pdf.render.markup import escape, is_safe_url
from timeline_pdf.render.page import BookmarkedParagraph
from timeline_pdf.render.pdf import Rendered, write_pdf
from timeline_pdf.render.plain import paragraph
from timeline_pdf.render.styles import Styles, build_styles
from timeline_pdf.render.tagging import Tag
from timeline_pdf.typography import follows_layout


@follows_layout
def render_timeline(report: Report, layout: LoadedLayout, fonts: DocumentFonts, tagged: bool = True) -> Rendered:
    """The timeline PDF; ``tagged=False`` (no structure) only for the benchmark's comparison."""
    with fewer_collections():  # a long timeline makes millions of short-lived objects
        return _render_timeline(report, layout, fonts, tagged)


def _render_timeline(report: Report, layout: LoadedLayout, fonts: DocumentFonts, tagged: bool) -> Rendered:
    spec = layout.spec
    styles = build_styles(spec, fonts)
    palette = category_styles(report, layout)
    width = spec.page.column_width()
    footnotes = Footnotes(spec, styles, width) if spec.timeline.notes == "footnotes" else None
    notes = SourceNotes(spec, anchors=footnotes is None)
    order = spec.sections or ("title", "legend", "timeline", "sources")
    top = 2 if "title" in order else 1  # headings start at H1: the title's, else the years'
    sections = {
        "title": lambda: title_block(report, styles, spec, report.info.timeline_label),
        "legend": lambda: [legend(report, palette, styles, width, spec.timeline.category_order), Spacer(1, 6)],
        "timeline": lambda: timeline_story(report, styles, palette, notes, layout, footnotes, top),
        "sources": lambda: [] if footnotes else notes.endnotes(styles, f"H{top}"),
    }
    story: list[Flowable] = []
    for section in order:
        story += sections[section]()
    return write_pdf(story, report, layout, fonts, subject=report.info.timeline_label, footnotes=footnotes, tagged=tagged)


MAX_FOOTNOTES_PER_ENTRY = 12


def timeline_story(report: Report, styles: Styles, palette, notes: SourceNotes, layout: LoadedLayout, footnotes: Footnotes | None = None, top: int = 2) -> list[Flowable]:
    """Year headings (outline level 0, heading level ``top``), month headings (level 1, the
    next heading level), then one flowable per event: a ``Sect`` whose headline is the heading
    level below the months', so a screen reader can move event by event."""
    spec = layout.spec
    marks = dict(report.marks)
    mark_of = {event: marks[key] for event, key in zip(report.events, event_ids(report.events)) if key in marks} if marks else {}
    labels = {event: date_parts(event) for event in report.events}
    date_width = _date_width(labels.values(), styles, spec.page.column_width())
    geometry = EntryGeometry(date_width=date_width, rule_colour=spec.colours.rule, key_colour=spec.colours.key_event, key_style=spec.timeline.key_style)
    story: list[Flowable] = []
    for year, year_events in groupby(report.events, key=lambda e: e.date.year):
        story.append(BookmarkedParagraph(str(year), styles.year, f"y{year}", str(year), level=0, role=f"H{top}"))
        for month, month_events in groupby(year_events, key=_month_key):
            events = list(month_events)
            name = f"{events[0].date:%B} {year}" if month else f"{year}, month not known"
            story.append(BookmarkedParagraph(escape(name), styles.heading, f"m{year}-{month:02d}", name, level=1, role=f"H{top + 1}"))
            for _day, day_events in groupby(events, key=lambda e: (e.date, e.date_precision)):
                for index, event in enumerate(day_events):
                    entry = Tag("Sect")
                    # the date shows once a day; each entry reads it
                    date = paragraph(_date_markup(labels[event], styles, date_width), styles.date, Tag("P", entry)) if index == 0 else None
                    content = entry_content(event, styles, notes, spec.timeline.fields, mark_of.get(event, ""), spec.colours.accent, entry, f"H{top + 2}")
                    cited = tuple((notes.cite(s.url), s.url) for s in event.sources if is_safe_url(s.url)) if footnotes else ()
                    if len(cited) > MAX_FOOTNOTES_PER_ENTRY:  # too many for a page foot: list them in the entry
                        content += notes.listing(cited, styles, entry)
                        cited = ()
                    story.append(EntryFlowable(date, content, palette[event.category], event.key, geometry, notes=cited, footnotes=footnotes, tag=entry))
    return story


def _month_key(event: Event) -> int:
    """Events known only to the year sit under their own heading before January (month 0)."""
    return 0 if event.date_precision == "year" else event.date.month


def date_label(event: Event) -> str:
    """'Mar 11', 'Feb 27–Mar 2', or as much as is known: 'March', '1946', 'Aug 2, 1776 – 1776'."""
    return "".join(date_parts(event))


def date_parts(event: Event) -> tuple[str, str, str]:
    """The date column's label as (first, dash, second) (see :func:`dates.format_span`); the
    year heading above gives the start's year."""
    if event.end_date is None or (event.end_date == event.date and event.end_date_precision == event.date_precision):
        return format_date(event.date, event.date_precision, long=event.date_precision == "month", year=False), "", ""
    return format_span(event.date, event.date_precision, event.end_date, event.end_date_precision, year=False)


DATE_PAD = 6.0  # the date paragraph is this much narrower than its column (see EntryFlowable.wrap)


def _date_width(labels, styles: Styles, column: float) -> float:
    """The date column: wide enough for every label on one line, up to a fifth of the column, and
    for every single date in any case (a label wider than that breaks only between its dates)."""
    def width(text: str) -> float:
        return stringWidth(text, styles.date.fontName, styles.date.fontSize)

    labels = list(labels)
    room = column / 5 - DATE_PAD
    whole = max((w for w in (width("".join(parts)) for parts in labels) if w <= room), default=0.0)
    single = max((width(part) for first, dash, second in labels for part in (first + dash.rstrip(), second)), default=0.0)
    return max(EntryGeometry.date_width, math.ceil(max(whole, single) + DATE_PAD + 0.5))


def _date_markup(parts: tuple[str, str, str], styles: Styles, width: float) -> str:
    """The label on one line when it fits, else its two dates on two lines, each whole."""
    first, dash, second = parts
    if not second or stringWidth(first + dash + second, styles.date.fontName, styles.date.fontSize) <= width - DATE_PAD:
        return escape(first + dash + second)
    return escape(first + dash.rstrip()) + "<br/>" + escape(second)


def entry_content(event: Event, styles: Styles, notes: SourceNotes, fields: tuple[str, ...], mark: str = "", accent: str = "#000000",
                  entry: Tag | None = None, headline_role: str = "H4", make: Callable[..., Flowable] = paragraph) -> list[Flowable]:
    """The paragraphs of one entry, children of its element ``entry``; ``fields`` (from the
    layout) says which details appear, ``mark`` is 'new' or 'updated' since the previous edition.
    ``make(markup, style, tag)`` makes each paragraph (the benchmark's reference makes
    ReportLab's ``Paragraph`` of each)."""
    content: list[Flowable] = []
    kicker = [escape(event.category).upper()] if "category" in fields else []
    if event.key:
        kicker.append("KEY EVENT")
    if mark:
        kicker.append(f'<font color="{accent}"><b>{mark.upper()}</b></font>')
    if kicker:
        content.append(make(" · ".join(kicker), styles.meta, Tag("P", entry)))
    if event.headline:
        content.append(make(escape(event.headline), styles.entry_headline, Tag(headline_role, entry)))
    content.append(make(escape(event.description), styles.body, Tag("P", entry)))
    facts = [escape(event.location)] if event.location and "location" in fields else []
    facts += [f"{label}: {escape(value)}" for label, value in (("Actor", event.actor), ("Target", event.target)) if value and label.lower() in fields]
    if facts:
        content.append(make(" · ".join(facts), styles.meta, Tag("P", entry)))
    casualties = casualty_line(event) if "casualties" in fields else ""
    if casualties:
        content.append(make(escape(casualties), styles.meta, Tag("P", entry)))
    sources = notes.inline([s.url for s in event.sources], styles, Tag("P", entry)) if "sources" in fields else None
    if sources:
        content.append(sources)
    return content


def casualty_line(event: Event) -> str:
    """'US: 2 killed, 4 wounded · Iraqi: not reported'; empty when nothing at all was reported."""
    if not any(c.reported for c in event.casualties):
        return ""
    parts = []
    for c in event.casualties:
        if not c.reported:
            parts.append(f"{c.group}: not reported")
        elif c.killed == 0 and c.wounded == 0:
            parts.append(f"{c.group}: none")
        else:
            killed = f"{c.killed} killed" if c.killed is not None else "killed not reported"
            wounded = f"{c.wounded} wounded" if c.wounded is not None else "wounded not reported"
            parts.append(f"{c.group}: {killed}, {wounded}")
    return "Casualties — " + " · ".join(parts)
