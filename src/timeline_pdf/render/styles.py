"""Paragraph styles derived from a layout: one place maps text roles to fonts, sizes, colours."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.colors import HexColor, toColor
from reportlab.lib.styles import ParagraphStyle

from timeline_pdf.fonts import DocumentFonts, register_reportlab
from timeline_pdf.layout.schema import Layout


@dataclass(frozen=True)
class Styles:
    kicker: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    byline: ParagraphStyle
    note: ParagraphStyle
    year: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    meta: ParagraphStyle
    date: ParagraphStyle
    entry_headline: ParagraphStyle
    small: ParagraphStyle
    figure: ParagraphStyle
    figure_label: ParagraphStyle


def _known_colours(values: list[str]) -> None:
    """Let ReportLab find the layout's '#RRGGBB' colours by name. Markup such as
    ``<a color="#1F5FA8">`` is parsed at every link, and ReportLab tries each colour string as a
    name, a literal and an expression before reading it as hex (22 µs; a name takes 1 µs). Its
    ``extraColorsNameSpace`` is the documented place for more names; each maps to the very
    colour ReportLab would have read."""
    names = toColor.extraColorsNS
    for value in values:
        if isinstance(value, str) and value.startswith("#") and value not in names:
            names[value] = HexColor(value)


def build_styles(spec: Layout, fonts: DocumentFonts) -> Styles:
    register_reportlab(fonts.body)
    register_reportlab(fonts.heading)
    # Noto Sans Arabic is registered by markup.escape when a text has Arabic script, not here:
    # most documents have none, and each face parsed costs time.
    sizes, colours = spec.fonts.sizes, spec.colours
    _known_colours([*colours.model_dump().values(), *(style.colour for style in spec.palette.values())])
    sans, serif = fonts.heading, fonts.body

    def style(name: str, family=serif, face: str = "regular", size: float = sizes.body, colour: str = colours.text, **extra) -> ParagraphStyle:
        settings = {"leading": round(size * sizes.leading, 2), "alignment": TA_LEFT, **extra}
        # a Color, not "#RRGGBB": ReportLab parses a colour string again each time it sets it (literal_eval first)
        return ParagraphStyle(name, fontName=family.face(face), fontSize=size, textColor=HexColor(colour), **settings)

    return Styles(
        kicker=style("kicker", sans, "bold", sizes.small + 0.5, colours.accent, spaceAfter=4),
        title=style("title", sans, "bold", sizes.title, colours.accent, leading=sizes.title * 1.12, spaceAfter=4),
        subtitle=style("subtitle", sans, "regular", sizes.subtitle, colours.muted, spaceAfter=8),
        byline=style("byline", sans, "regular", sizes.body, colours.text, spaceAfter=1),
        note=style("note", serif, "italic", sizes.small + 0.5, colours.muted, spaceBefore=2),
        year=style("year", sans, "bold", sizes.title * 0.8, colours.rule, spaceBefore=10, spaceAfter=0, keepWithNext=1),
        heading=style("heading", sans, "bold", sizes.heading, colours.accent, spaceBefore=12, spaceAfter=6, keepWithNext=1),
        subheading=style("subheading", sans, "bold", sizes.body + 0.5, colours.accent, spaceBefore=6, spaceAfter=3),
        body=style("body", serif, spaceAfter=5),
        bullet=style("bullet", serif, spaceAfter=2),
        meta=style("meta", sans, "regular", sizes.small + 0.5, colours.muted),
        date=style("date", sans, "bold", sizes.body, colours.accent),
        entry_headline=style("entry_headline", sans, "bold", sizes.body + 0.5, colours.text, spaceAfter=1),
        small=style("small", sans, "regular", sizes.small, colours.muted),
        figure=style("figure", sans, "bold", sizes.title * 0.9, colours.accent, leading=sizes.title * 0.95),
        figure_label=style("figure_label", sans, "regular", sizes.small + 0.5, colours.muted),
    )
