"""The layout language: every key an editor may set, its type, default and meaning.

Unknown keys are errors (``extra="forbid"``), never ignored. Lengths become points and colours
become ``#RRGGBB`` while validating, so renderers never parse strings. Each field's description
is its documentation.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from timeline_pdf.contract import LANGUAGE_TAG
from timeline_pdf.layout.units import to_hex, to_points

Length = Annotated[float, BeforeValidator(to_points)]
Colour = Annotated[str, BeforeValidator(to_hex)]
Marker = Literal["circle", "square", "diamond", "triangle", "star"]
SHIPPED_FAMILIES = ("Noto Sans", "Noto Serif")
PAGE_SIZES = {  # points, portrait
    "letter": (612.0, 792.0),
    "legal": (612.0, 1008.0),
    "tabloid": (792.0, 1224.0),
    "a4": (595.276, 841.89),
    "a3": (841.89, 1190.551),
}


def language_tag(value: str) -> str:
    if not LANGUAGE_TAG.fullmatch(value):
        raise ValueError(f"'{value}' is not a language tag; write one such as en-US, en-GB or fr")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(Strict):
    top: Length = Field(54.0, description="Space above the body text, e.g. '0.75in' or '20mm'.")
    bottom: Length = Field(54.0, description="Space below the body text.")
    left: Length = Field(54.0, description="Left margin.")
    right: Length = Field(54.0, description="Right margin.")


class Page(Strict):
    size: str = Field("Letter", description="Letter, Legal, Tabloid, A4, A3, or 'WIDTH x HEIGHT' such as '6in x 9in'.")
    orientation: Literal["portrait", "landscape"] = Field("portrait", description="portrait or landscape.")
    margins: Margins = Field(default_factory=Margins, description="Page margins.")
    columns: int = Field(1, ge=1, le=3, description="Text columns of the timeline (the brief always has one); more than one needs timeline.notes = 'endnotes'.")
    column_gap: Length = Field(18.0, description="Space between columns.")

    def dimensions(self) -> tuple[float, float]:
        width, height = parse_page_size(self.size)
        if self.orientation == "landscape":
            width, height = max(width, height), min(width, height)
        return width, height

    def column_width(self) -> float:
        """Width of one text column: what the story's flowables get."""
        text = self.dimensions()[0] - self.margins.left - self.margins.right
        return (text - self.column_gap * (self.columns - 1)) / self.columns


def parse_page_size(size: str) -> tuple[float, float]:
    known = PAGE_SIZES.get(size.strip().lower())
    if known:
        return known
    parts = size.lower().split("x")
    if len(parts) == 2:
        return to_points(parts[0]), to_points(parts[1])
    raise ValueError(f"unknown page size {size!r}; use Letter, Legal, Tabloid, A4, A3 or 'WIDTH x HEIGHT'")


class FontFiles(Strict):
    regular: str = Field(description="TTF file for regular text, relative to the layout file.")
    bold: str = Field(description="TTF file for bold text.")
    italic: str = Field(description="TTF file for italic text.")
    bold_italic: str = Field(description="TTF file for bold italic text.")


FontFamily = Annotated[str | FontFiles, Field(description="A shipped family ('Noto Sans', 'Noto Serif') or a table of four TTF files.")]


class Sizes(Strict):
    title: float = Field(24.0, ge=6, le=96, description="Title size in points.")
    subtitle: float = Field(12.0, ge=6, le=48, description="Subtitle and byline size.")
    heading: float = Field(13.0, ge=6, le=48, description="Section and month heading size.")
    body: float = Field(9.5, ge=6, le=24, description="Body text size.")
    small: float = Field(7.5, ge=6, le=18, description="Notes, captions, header and footer size.")
    leading: float = Field(1.3, ge=1.0, le=2.5, description="Line spacing as a multiple of the text size.")


class Fonts(Strict):
    body: FontFamily = "Noto Serif"
    heading: FontFamily = "Noto Sans"
    sizes: Sizes = Field(default_factory=Sizes, description="Text sizes per role.")


class Colours(Strict):
    text: Colour = Field("#1A1A1A", description="Body text colour.")
    muted: Colour = Field("#5F6B7A", description="Secondary text: dates, notes, header and footer.")
    accent: Colour = Field("#1F3A5F", description="Headings, rules and title band.")
    rule: Colour = Field("#C9D1DB", description="Thin rules and the timeline's vertical line.")
    key_event: Colour = Field("#FFF4D6", description="Background behind key events.")
    link: Colour = Field("#1F5FA8", description="Colour of clickable links.")


def _hatch(value: str) -> str:
    if len(value) > 8 or not set(value) <= set("/\\|-+xoO.*"):
        raise ValueError("a hatch is up to 8 of the characters / \\ | - + x o O . *, such as '//' or '..' (or empty for none)")
    return value


Hatch = Annotated[str, AfterValidator(_hatch)]


class CategoryStyle(Strict):
    colour: Colour = Field(description="Fill colour for this category.")
    marker: Marker = Field("circle", description="Marker shape, so categories stay apart in greyscale.")
    hatch: Hatch = Field("", description="Matplotlib hatch pattern for chart bars, e.g. '//' or '..': up to 8 of / \\ | - + x o O . * (repeated for density).")


class Links(Strict):
    domestic_tlds: tuple[str, ...] = Field(("us",), description="Country-code top-level domains treated as domestic; other country codes get an asterisk.")
    domestic_hosts: tuple[str, ...] = Field((), description="Hosts always treated as domestic (and their subdomains).")
    foreign_hosts: tuple[str, ...] = Field((), description="Hosts always marked foreign, e.g. state media on a .com domain.")


class Charts(Strict):
    frequency: Literal["week", "month", "quarter", "year"] = Field("week", description="Preferred bin of the attack-frequency chart: week (Monday to Sunday), month, quarter or year. It is kept while the period has at most 110 such bins; a longer period takes the next coarser bin that fits, so bars stay readable: weekly up to about two years, monthly up to about nine, quarterly up to about 27, yearly beyond. The casualty chart works the same way from months, with at most 60 bars across its groups.")
    height: Length = Field(180.0, description="Height of each full-width chart. The locations chart and the map side by side are as tall as the map's shape needs.")
    groups: tuple[str, ...] = Field((), description="Casualty groups to chart; empty means every group in the workbook.")
    top_locations: int = Field(8, ge=1, le=25, description="How many of the most-attacked locations the locations chart ranks.")


class Timeline(Strict):
    notes: Literal["endnotes", "footnotes"] = Field("endnotes", description="Source notes listed at the end of the document, or at the foot of the page that cites them.")
    key_style: Literal["highlight", "bold", "plain"] = Field("highlight", description="How key events stand out: a tinted background and larger marker, a bold rule and marker, or not at all.")
    fields: tuple[Literal["category", "location", "actor", "target", "casualties", "sources"], ...] = Field(
        ("category", "location", "actor", "target", "casualties", "sources"), description="Which details each entry shows, besides date, headline and description."
    )
    category_order: tuple[str, ...] = Field((), description="Legend order; empty means the Categories sheet's order (then first use).")


class Brief(Strict):
    max_pages: int = Field(2, ge=1, le=3, description="Page budget. While the brief is longer, content is left out in this order: the locator map, the locations chart, the descriptions of notable events, the casualty chart, the notable events beyond the five latest, the bullet lists of the summary, the notable events and sources, the frequency chart. The build names whatever was left out.")


class Typography(Strict):
    smart_quotes: bool = Field(True, description="Print straight quotes and apostrophes typed in the workbook, the Report sheet and the summary as typographic ones: \"Islamic Resistance\" as “Islamic Resistance”, Kata'ib as Kata’ib, '90s as ’90s. Links, e-mail addresses, code spans in the summary and figures in feet and inches such as 5'10\" are printed as typed, and so are curly quotes typed in the workbook. Only printed text changes: the data read from the workbook, and so exports and the manifest, keep what was typed. false prints every mark as typed.")


class Logo(Strict):
    file: str = Field("", description="PNG or SVG file next to the layout, printed at the top of the title block; empty for none.")
    width: Length = Field(90.0, description="Printed width of the logo.")


class Layout(Strict):
    extends: str | None = Field(None, description="A layout file this one builds on (deep-merged), relative to this file.")
    product: Literal["timeline", "brief", "page"] | None = Field(None, description="Which product this layout builds: the timeline or the brief (PDF), or the publication page (HTML) that links to the PDFs built with it; a layout without one (a base) is never built itself.")
    output: str = Field("{stem}-{layout}", description="Output file name; the product's ending (.pdf, or .html for a page) is added when it lacks it; placeholders {stem} (workbook name), {layout} (layout name), {slug} (the title in lower case with dashes) and {edition} (e.g. 2020-03; added before the ending for an edition when the pattern lacks it).")
    default_title: str = Field("", description="Title printed when the Report sheet has no Title (the Report sheet's Title always wins); empty means the product's own: 'Event Timeline' for a timeline, 'Event Brief' for a brief, 'Event Update' for a page.")
    edition_title: str = Field("{title}: {edition} Update", description="Title printed for a monthly edition; placeholders {title} and {edition} (e.g. March 2020).")
    sections: tuple[str, ...] = Field((), description="Sections in order. Timeline: title, legend, timeline, sources. Brief: title, summary, figures, frequency_chart, casualty_chart, locations_chart, map, notable_events, sources. Page: summary, figures, downloads (the page always opens with its title block, its one top-level heading). In the brief, locations_chart and map share a row when one follows the other; the map is left out when no event has coordinates.")
    language: Annotated[str, AfterValidator(language_tag)] = Field("en-US", description="The products' language as a BCP 47 tag (en-US, en-GB, fr...), read by screen readers; a 'Language' row on the workbook's Report sheet overrides it.")
    header: str = Field("{title}", description="Running header text (from the second page on); placeholders {title}, {subtitle}, {period}, {edition} (the edition, e.g. March 2020, else the month of the edition date), {page} and {pages}. Any other placeholder is an error; write a literal brace as {{ or }}.")
    footer: str = Field("Page {page} of {pages}", description="Footer text; the placeholders of header.")
    page: Page = Field(default_factory=Page, description="Page size, orientation and margins.")
    fonts: Fonts = Field(default_factory=Fonts, description="Type families and sizes.")
    colours: Colours = Field(default_factory=Colours, description="Colours of text roles.")
    palette: dict[str, CategoryStyle] = Field(default_factory=dict, description="Category name -> colour and marker. Categories not listed take the next unused colour of the default palette.")
    links: Links = Field(default_factory=Links, description="Which link domains count as foreign (marked with an asterisk).")
    charts: Charts = Field(default_factory=Charts, description="Chart options.")
    timeline: Timeline = Field(default_factory=Timeline, description="Options of the timeline product.")
    brief: Brief = Field(default_factory=Brief, description="Options of the brief product.")
    logo: Logo = Field(default_factory=Logo, description="An optional logo.")
    typography: Typography = Field(default_factory=Typography, description="How printed text is set.")

    @property
    def title_default(self) -> str:
        """The title printed when the Report sheet gives none: ``default_title``, else the product's."""
        return self.default_title or PRODUCT_TITLES.get(self.product or "", "")


PRODUCT_TITLES = {"timeline": "Event Timeline", "brief": "Event Brief", "page": "Event Update"}  # titles without a Title on the Report sheet
TIMELINE_SECTIONS = ("title", "legend", "timeline", "sources")
BRIEF_SECTIONS = ("title", "summary", "figures", "frequency_chart", "casualty_chart", "locations_chart", "map", "notable_events", "sources")
PAGE_SECTIONS = ("summary", "figures", "downloads")
SECTIONS = {"timeline": TIMELINE_SECTIONS, "brief": BRIEF_SECTIONS, "page": PAGE_SECTIONS}  # product -> its sections, in their default order
SUFFIXES = {"timeline": ".pdf", "brief": ".pdf", "page": ".html"}  # product -> the ending of its file's name
