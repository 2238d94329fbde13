"""The publication page: the monthly update that carries the PDFs, as one self-contained HTML file.

In the seed page's order: kicker and title, the "By:" line, contributors, the co-publication
line and the bracketed notice; then the summary with its live figures, the headline figures, and
a link to each PDF built with it (with a picture of its first page), to the events as CSV and to
the manifest. Every word comes from the report through Jinja2 with autoescaping, and every
number from ``metrics``, as the brief's do. The page runs no script and loads nothing remote: its
CSS is inline (allowed by its hash in the Content-Security-Policy) and every link to a file is
relative, to a file written beside it in the same build.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from markupsafe import Markup

from timeline_pdf import __version__
from timeline_pdf.build import Companion, Context, Product, Rendered
from timeline_pdf.dates import format_date
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.layout.schema import PAGE_SECTIONS, FontFiles
from timeline_pdf.metrics import headline_figures
from timeline_pdf.model import Report
from timeline_pdf.summary import fill_summary
from timeline_pdf.typography import follows_layout
from timeline_pdf.web.markdown import summary_html
from timeline_pdf.web.text import shown
from timeline_pdf.web.thumbnails import SHOWN_WIDTH, first_page, shown_height
from timeline_pdf.wording import casualty_columns, casualty_rows, display_title, figure_details, headline_cards, names, period_text

# the layout's families as the reader's system has them: the page loads no font
FONT_STACKS = {
    "Noto Serif": '"Noto Serif", Georgia, Cambria, "Liberation Serif", "Times New Roman", serif',
    "Noto Sans": '"Noto Sans", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif',
}
ROLE_STACKS = {"body": FONT_STACKS["Noto Serif"], "heading": FONT_STACKS["Noto Sans"]}  # after a family of the layout's own files
ACTIONS = {"timeline": "View the PDF timeline", "brief": "Download the brief"}  # the seed page's words, by product kind


@dataclass(frozen=True)
class Download:
    """One link of the page to a file built with it."""

    action: str  # 'View the PDF timeline'
    href: str  # relative, percent-encoded
    name: str  # the file's name, in the link text
    details: str  # 'PDF, Letter, 9 pages, 412 KB'
    media_type: str
    image: str = ""  # the thumbnail's href
    image_alt: str = ""
    image_width: int = 0
    image_height: int = 0


@follows_layout
def render_page(report: Report, layout: LoadedLayout, context: Context) -> Rendered:
    """The page's HTML, and its companions: the PDFs' first pages as PNG and the events as CSV."""
    from timeline_pdf.export import events_data

    spec = layout.spec
    info = report.info
    figures = headline_figures(report)
    companions: list[Companion] = []
    downloads: list[Download] = []
    kinds = list(ACTIONS)  # the timeline first, as on the seed page; then the layouts' order
    for product in sorted(context.products, key=lambda p: kinds.index(p.kind) if p.kind in kinds else len(kinds)):
        if product.path.suffix.lower() == ".pdf":
            download, picture = _pdf_download(report, product)
            downloads.append(download)
            companions.append(picture)
    csv, events = events_data(report, ".csv")
    csv_name = _events_name(context)
    companions.append(Companion(csv_name, csv))
    data_files = [Download("Download the events as CSV", _href(csv_name), csv_name, f"CSV, {events:,} event{'s' if events != 1 else ''}, {_size(len(csv))}", "text/csv")]
    if context.manifest is not None:
        data_files.append(Download("Check the files against the manifest", _href(context.manifest.name), context.manifest.name,
                                   "JSON: the checksum of every file of this edition", "application/json"))
    casualty_spans, casualty_headings = casualty_columns(figures)
    title = shown(display_title(report, spec))
    css = _css(layout)
    html = _template("page.html").render(
        lang=info.language or spec.language,
        title=title,
        kicker=shown(info.page_label),
        subtitle=shown(info.subtitle),
        dateline=shown(period_text(report, spec)),
        edition_date=info.edition_date.isoformat() if info.edition_date else "",
        edition_text=format_date(info.edition_date, long=True) if info.edition_date else "",
        authors=shown(names(info.authors)),
        contributors=shown(names(info.contributors)),
        publisher=shown(info.publisher),
        notice=shown(_bracketed(info.notice)),
        sections=spec.sections or PAGE_SECTIONS,
        summary=Markup(summary_html(fill_summary(report), spec)) if report.summary_markdown else "",
        cards=[(shown(number), shown(label)) for number, label in headline_cards(report, figures)],
        casualty_spans=[(shown(label), span) for label, span in casualty_spans],
        casualty_headings=[shown(h) for h in casualty_headings],
        casualty_rows=[[shown(cell) for cell in row] for row in casualty_rows(figures)],
        details=[(shown(lead), shown(text)) for lead, text in figure_details(figures)],
        wording_note=shown(figures.casualty_note()),
        downloads=downloads,
        data_files=data_files,
        css=Markup(css),
        csp=_policy(css),
        generator=f"timeline-pdf {__version__}",
    )
    return Rendered(html.encode("utf-8"), None, (), tuple(companions))


def _events_name(context: Context) -> str:
    """The events CSV's name: the manifest's, for the events instead ('escalation-2020-03-events.csv')."""
    stem = context.manifest.name.removesuffix(".manifest.json") if context.manifest else "page"
    return f"{stem}-events.csv"


def _pdf_download(report: Report, product: Product) -> tuple[Download, Companion]:
    """The link to a PDF of the build, and the picture of its first page."""
    picture = first_page(product.data)
    image = f"{product.path.stem}-thumbnail.png"
    label = {"timeline": report.info.timeline_label, "brief": report.info.brief_label}.get(product.kind, product.layout)
    pages = f"{product.pages:,} page{'s' if product.pages != 1 else ''}" if product.pages is not None else ""
    details = ", ".join(part for part in ("PDF", picture.paper, pages, _size(product.size)) if part)
    download = Download(ACTIONS.get(product.kind, f"Download the {product.kind or 'PDF'}"), _href(product.path.name), product.path.name, shown(details), "application/pdf",
                        _href(image), shown(f"First page of the PDF: {label}"), SHOWN_WIDTH, shown_height(picture))
    return download, Companion(image, picture.png)


def _href(name: str) -> str:
    """A relative link to a file beside the page (its name can hold spaces, '#' or '?')."""
    return quote(name)


def _size(count: int) -> str:
    """A file's size for a reader: '161 KB', or '1.2 MB' from a megabyte on (of 1,024)."""
    if count < 1024 * 1024:
        return f"{max(1, round(count / 1024)):,} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def _bracketed(notice: str) -> str:
    """The notice as the seed page prints it: in square brackets (unless typed in them)."""
    notice = notice.strip()
    if not notice or (notice.startswith("[") and notice.endswith("]")):
        return notice
    return f"[{notice}]"


def _css(layout: LoadedLayout) -> str:
    spec = layout.spec
    css = _template("page.css").render(colours=spec.colours, body=_font_stack(layout, spec.fonts.body, "body"), heading=_font_stack(layout, spec.fonts.heading, "heading"))
    if "<" in css:  # the style element ends at '</'; nothing in the CSS comes from a cell, and nothing may end it
        raise ValueError("the page's CSS must not contain '<'")
    return css


def _font_stack(layout: LoadedLayout, family: str | FontFiles, role: str) -> str:
    if isinstance(family, str):
        return FONT_STACKS[family]
    name = _family_name(layout.font_path(family, "regular"))
    return f'"{name}", {ROLE_STACKS[role]}' if name else ROLE_STACKS[role]


def _family_name(path) -> str:
    """The family a TTF file names, as CSS can quote it (letters, digits, spaces, dashes)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    raw = TTFontFile(str(path)).familyName
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return re.sub(r"[^A-Za-z0-9 _-]", "", text).strip()


def _policy(css: str) -> str:
    """The Content-Security-Policy: nothing loads but the images beside the page, no script
    runs, and only this page's own CSS (by its hash) applies."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; img-src 'self'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


@cache
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("timeline_pdf.web", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), disabled_extensions=("css",), default=True),
        undefined=StrictUndefined,  # a name the template uses and the page lacks is an error, never blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _template(name: str):
    return _environment().get_template(name)
