"""Import presets and column-mapping files: other tools' layouts mapped onto the workbook contract.

Analysts keep events in ACLED exports, UCDP GED extracts or Knight Lab TimelineJS sheets. A
mapping says which of their columns fill which contract column; the result is an ordinary
Events sheet (with Categories and Report sheets when the mapping gives them), so every rule of
``validate`` applies and every finding still points at the cell of the original file.

The built-in presets are written in the same TOML form a user's mapping file uses (see the
README, "Column-mapping files"), so each one doubles as an example.
"""

from __future__ import annotations

import difflib
import re
import string
import tomllib
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from timeline_pdf.contract import FIELDS, MAPPED_CATEGORIES, normalise, tidy_value
from timeline_pdf.dates import two_digit_years
from timeline_pdf.errors import Finding, MappingError, did_you_mean, mapping_problem
from timeline_pdf.mapping import Mapping, names_in, normalise_value, parse_mapping, strings_in
from timeline_pdf.workbook import RawCell, RawSheet, RawWorkbook

ACLED = '''
name = "ACLED"
notes = ["ACLED records the fatalities of an event as one number, not split by side or group: they are shown under the single group 'Total'."]
date_format = "%d-%b-%y"               # 9-May-20, as some exports have it; 2020-05-09 and 9 May 2020 are read as usual

[columns]
ID = "event_id_cnty"
Date = "event_date"
Category = "event_type"
Headline = "sub_event_type"
Actor = "actor1"
Target = "actor2"
Location = ["location", "admin1"]
Latitude = "latitude"
Longitude = "longitude"
Description = ["notes", "Source: {source}"]
"Total Killed" = "fatalities"

[rows]
approximate = { time_precision = [2, 3] }   # ACLED's date for the event is approximate (1: the actual day)

[categories]
"Battles" = "attack"
"Explosions/Remote violence" = "attack"
"Violence against civilians" = "attack"
"Riots" = "other"
"Protests" = "political"
"Strategic developments" = "political"
'''

UCDP = '''
name = "UCDP GED"
notes = ["UCDP GED counts deaths by side (side A, side B), civilians and unknown; its 'best' estimate is their sum. It does not record the wounded."]

[columns]
Date = "date_start"
"End Date" = "date_end"
Category = "type_of_violence"
Headline = "dyad_name"
Actor = "side_a"
Target = "side_b"
Location = ["where_coordinates", "adm_1"]
Latitude = "latitude"
Longitude = "longitude"
Description = { first = ["{source_headline} ({source_office}, {source_date})", "source_headline", "Source: {source_article}", "UCDP GED event {id}"] }
"Side A Killed" = "deaths_a"
"Side B Killed" = "deaths_b"
"Civilians Killed" = "deaths_civilians"
"Unknown Killed" = "deaths_unknown"

[values.Category]
"1" = "State-based conflict"
"2" = "Non-state conflict"
"3" = "One-sided violence"

[categories]
"State-based conflict" = "attack"
"Non-state conflict" = "attack"
"One-sided violence" = "attack"
'''

TIMELINEJS = '''
name = "TimelineJS"
html = ["Headline", "Text"]

[columns]
Date = { year = "Year", month = "Month", day = "Day" }
"End Date" = { year = "End Year", month = "End Month", day = "End Day" }
Headline = "Headline"
Description = { first = ["Text", "Headline"] }
Category = "Group"

[defaults]
Category = "Event"

[rows]
skip = { Type = ["era"] }
title = { Type = ["title"] }
'''

PRESETS = {"acled": ACLED, "ucdp": UCDP, "timelinejs": TIMELINEJS}
KINDS_OF_FILE = {"acled": "an ACLED export", "ucdp": "a UCDP GED extract", "timelinejs": "a TimelineJS sheet"}
JOINED_WITH = {"description": " ", "headline": " "}  # other joined columns use ", "


def load_mapping(preset: str | None = None, path: Path | None = None) -> Mapping:
    if preset and path:
        raise MappingError("--preset", [mapping_problem("--preset", "", "--preset and --mapping were both given", "give either --preset or --mapping, not both")])
    if preset:
        key = normalise(preset)
        if key not in PRESETS:
            near = did_you_mean(key, PRESETS, "the presets are")
            raise MappingError("--preset", [mapping_problem("--preset", "", f"unknown preset '{preset}'", f"{near} (or write a mapping file and use --mapping)")])
        return parse_mapping(tomllib.loads(PRESETS[key]), f"preset {key}")
    assert path is not None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError(str(path), [mapping_problem(str(path), "", "the mapping file was not found", "check the path")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(str(path), [mapping_problem(str(path), "", f"the mapping file could not be read ({exc})", "save it as UTF-8 text")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(str(path), [mapping_problem(str(path), "", f"not valid TOML: {exc}", 'check quotes around names with spaces, such as "End Date" = "date_end"')]) from None
    return parse_mapping(data, str(path))


def preset_suggestion(raw: RawWorkbook) -> Finding | None:
    """A note naming the preset a file read without one seems to be in: a sheet has every
    column the preset reads Date, Category and Description from, and most of its others."""
    for key in PRESETS:
        mapping = load_mapping(preset=key)
        wanted, needed = mapping.source_columns(), mapping.required_sources()
        for sheet in raw.sheets.values():
            found = sheet.relocate(lambda h: isinstance(h, str) and normalise(h) in wanted)
            have = [h for h in found.headers if isinstance(h, str) and normalise(h) in wanted]
            if needed <= {normalise(h) for h in have} and 2 * len(have) >= len(wanted):
                shown = ", ".join(have[:6]) + (", …" if len(have) > 6 else "")
                return Finding("note", f"this looks like {KINDS_OF_FILE[key]}: it has the columns the {key} preset reads ({shown}), not those of the Events sheet",
                               f"read it with --preset {key} (in Python, load(path, preset='{key}')); see the README, 'Importing from ACLED, UCDP and TimelineJS'",
                               file=str(raw.path), sheet=found.name, cell=f"A{found.header_row or 1}", code="import-preset-suggested")
    return None


# --- applying a mapping ------------------------------------------------------------------------


def apply_mapping(raw: RawWorkbook, mapping: Mapping, findings) -> RawWorkbook:
    """The workbook as the contract's sheets, read through ``mapping``."""
    wanted = mapping.source_columns()
    candidates = [s.relocate(lambda h: isinstance(h, str) and normalise(h) in wanted) for s in raw.sheets.values()]
    source = max(candidates, key=lambda s: sum(normalise(h) in wanted for h in s.headers))
    present = {normalise(h): i for i, h in enumerate(source.headers) if h}
    required_sources = mapping.required_sources()
    missing = sorted(wanted - set(present))
    wrong_layout = any(name in required_sources for name in missing)
    for name in missing:
        shown = _display_name(name, mapping)
        near = difflib.get_close_matches(name, list(present), n=1)
        near_text = f"; did you mean '{source.headers[present[near[0]]]}'?" if near else ""
        if name in required_sources:
            findings.add("error", source.name, f"the {mapping.name} import needs a column '{shown}', which this file does not have{near_text}",
                         f"check that the file really is in the {mapping.name} layout, with its header row, or write a column-mapping file for it (see the README)", cell=f"A{source.header_row or 1}", code="import-column-missing")
        elif not wrong_layout:  # in a file of another layout, the optional columns are beside the point
            findings.add("note", source.name, f"the {mapping.name} import reads a column '{shown}', which this file does not have; it is left blank{near_text}", cell=f"A{source.header_row or 1}", code="import-column-absent")
    targets = list(mapping.columns) + [t for t in mapping.defaults if t not in mapping.columns]
    if wrong_layout:  # the file is not in this layout: its rows would only repeat the problem
        return RawWorkbook(raw.path, {"events": RawSheet(source.name, source.header_row, targets, [])}, raw.epoch, raw.notes, imported_from=mapping.name)
    for note in mapping.notes:
        findings.add("note", "", note, code="import-note")
    if mapping.html and not any(FIELDS.get(normalise(t)) == "sources" for t in targets):
        targets.append("Sources")
    sources_target = next((t for t in targets if FIELDS.get(normalise(t)) == "sources"), None)
    rows: list[tuple[int, list[RawCell]]] = []
    title: dict[str, RawCell] = {}
    skipped: list[RawCell] = []  # the cell that marks each row left out
    approximate: list[RawCell] = []  # the cell that marks each event's date as approximate
    labels: dict[str, str] = {}  # spec text -> the source columns it reads, as the file names them
    for number, cells in source.rows:
        row = _Row(source, cells, present, mapping, labels)
        marker = next((column for column, values in mapping.skip.items() if row.plain(column) in values), None)
        if marker is not None:
            skipped.append(row.source(marker))
            continue
        if not title and mapping.title and any(row.plain(column) in values for column, values in mapping.title.items()):
            title = {t: row.cell(t, mapping.columns.get(t)) for t in ("Headline", "Description") if t in mapping.columns}
            continue
        marker = next((column for column, values in mapping.approximate.items() if row.plain(column) in values), None)
        if marker is not None:
            approximate.append(row.source(marker))
        out = [row.cell(t, mapping.columns.get(t)) for t in targets]
        if sources_target is not None and row.links:
            index = targets.index(sources_target)
            cell = out[index]
            text = " ".join(filter(None, [str(cell.value) if cell.value is not None else "", *row.links]))
            out[index] = RawCell(text, cell.ref if cell.value is not None else row.link_ref, cell.hyperlink, column=cell.column or row.link_column)
        rows.append((number, out))
    if skipped:
        first = skipped[0]
        findings.add("note", source.name, f"{len(skipped)} row(s) of the {mapping.name} file are not events (such as TimelineJS 'era' rows) and were left out" + (", the first here" if len(skipped) > 1 else ""),
                     cell=first.ref, column=_header_of(source, first), value=first.value, code="import-rows-skipped")
    if approximate:
        first = approximate[0]
        marks = " or ".join(sorted({str(tidy_value(c.value)) for c in approximate}))
        findings.add("note", source.name, f"{len(approximate):,} event(s) have a date the {mapping.name} file marks as approximate ({_header_of(source, first)} {marks})"
                     + (", the first here" if len(approximate) > 1 else "")
                     + ": each is placed on the day the file gives, and the products print that day",
                     "say in the summary that these dates are approximate, or check them against the sources before publishing",
                     cell=first.ref, column=_header_of(source, first), value=first.value, code="import-approximate-dates")
    _two_digit_year_note(rows, targets, mapping, source, findings)
    events = RawSheet(source.name, source.header_row, targets, rows, source.hidden_rows, frozenset(), source.merged, source.skipped_tag_row)
    sheets = {"events": events}
    if raw.sheet("categories") is not None:
        sheets["categories"] = raw.sheet("categories")
    elif mapping.categories:
        sheets["categories"] = RawSheet(MAPPED_CATEGORIES.format(mapping.name), 1, ["Category", "Kind"], [(i, [RawCell(n, ""), RawCell(k, "")]) for i, (n, k) in enumerate(mapping.categories.items(), start=2)])
    if raw.sheet("report") is not None:
        sheets["report"] = raw.sheet("report")
    else:
        report_rows = [(0, [RawCell("Date Order", ""), RawCell(mapping.date_order, "")])] if mapping.date_order else []
        for field_name, target in (("Title", "Headline"), ("Subtitle", "Description")):
            if target in title and title[target].value is not None:
                cell = title[target]
                report_rows.append((0, [RawCell(field_name, cell.ref), RawCell(cell.value, cell.ref, column=cell.column)]))
        if report_rows:
            sheets["report"] = RawSheet(source.name, 1, ["Field", "Value"], report_rows)
    return RawWorkbook(raw.path, sheets, raw.epoch, raw.notes, imported_from=mapping.name)


DATE_TARGETS = ("date", "end_date")


def _two_digit_year_note(rows: list[tuple[int, list[RawCell]]], targets: list[str], mapping: Mapping, source: RawSheet, findings) -> None:
    """Say how two-digit years were read, when a format with %y read any: 9-May-20 is 2020."""
    short = [f for f in mapping.date_formats if two_digit_years(f)]
    if not short:
        return
    columns = [i for i, t in enumerate(targets) if FIELDS.get(normalise(t)) in DATE_TARGETS]
    read: list[tuple[RawCell, date]] = []
    for _number, cells in rows:
        for index in columns:
            cell = cells[index]
            if isinstance(cell.value, str) and (day := _read_short(cell.value, short)) is not None:
                read.append((cell, day))
    if not read:
        return
    first, _ = read[0]
    years = sorted({day.year for _cell, day in read})
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    findings.add("note", source.name, f"{len(read):,} date(s) have a two-digit year, such as '{first.value}' (format {', '.join(short)}): they were read as the years {span}, "
                 "taking 00–68 as 2000–2068 and 69–99 as 1969–1999", "check the years; to avoid the question, export the dates with four-digit years (YYYY-MM-DD)",
                 cell=first.ref, column=first.column, value=first.value, code="import-two-digit-years")


def _read_short(text: str, formats: list[str]) -> date | None:
    cleaned = " ".join(text.split())
    for form in formats:
        try:
            return datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    return None


def _header_of(sheet: RawSheet, cell: RawCell | None) -> str:
    """The header of the column ``cell`` is in, as the original file spells it."""
    if cell is None or not cell.ref:
        return ""
    letters = cell.ref.rstrip("0123456789")
    index = column_index_from_string(letters) - 1 if letters else -1
    return sheet.headers[index] if 0 <= index < len(sheet.headers) and sheet.headers[index] else ""


def _display_name(name: str, mapping: Mapping) -> str:
    """The column name as the mapping writes it (it was normalised for matching)."""
    for spec in mapping.columns.values():
        for text in strings_in(spec):
            for candidate in [text, *[f for _t, f, _s, _c in string.Formatter().parse(text) if f]]:
                if normalise(candidate) == name:
                    return candidate
    return name


class _Row:
    """One source row, read through the mapping; collects the links found in HTML cells."""

    def __init__(self, sheet: RawSheet, cells: list[RawCell], present: dict[str, int], mapping: Mapping, labels: dict[str, str]) -> None:
        self.sheet, self.cells, self.present, self.mapping, self.labels = sheet, cells, present, mapping, labels
        self.links: list[str] = []
        self.link_ref = ""
        self.link_column = ""
        self._converted: dict[str, str] = {}

    def source(self, name: str) -> RawCell | None:
        index = self.present.get(normalise(name))
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def plain(self, name: str) -> str:
        cell = self.source(name)
        return normalise_value(cell.value) if cell is not None and cell.value is not None else ""

    def text(self, name: str) -> tuple[str, RawCell | None]:
        """A source cell as text (HTML turned into plain text, its links kept as sources)."""
        cell = self.source(name)
        if cell is None or cell.value is None:
            return "", cell
        text = str(tidy_value(cell.value)).strip()
        if normalise(name) in self.mapping.html and text:
            if name not in self._converted:
                plain, links = html_to_text(text)
                self._converted[name] = plain
                for link in links:
                    if link not in self.links:
                        self.links.append(link)
                if links and not self.link_ref:
                    self.link_ref, self.link_column = cell.ref, self.sheet.headers[self.present[normalise(name)]]
            text = self._converted[name]
        return text, cell

    def cell(self, target: str, spec: Any) -> RawCell:
        """The contract cell ``target`` of this row."""
        if spec is None:
            value, first = None, None
        elif isinstance(spec, str) and "{" not in spec and normalise(spec) not in self.mapping.html:
            first = self.source(spec)  # one column: keep its type (a date stays a date)
            value = first.value if first is not None else None
            if first is not None and (first.formula or first.error):
                return RawCell(first.value, first.ref, first.hyperlink, first.formula, first.error, _header_of(self.sheet, first) or self._label(spec))
        elif isinstance(spec, dict) and "year" in spec:
            value, first = self._date(spec)
        else:
            value, first = self._compose(spec, JOINED_WITH.get(FIELDS.get(normalise(target), ""), ", "))
        recode = self.mapping.values.get(target)
        if recode and value is not None and normalise_value(value) in recode:
            value = recode[normalise_value(value)]
        if (value is None or str(value).strip() == "") and target in self.mapping.defaults:
            value = self.mapping.defaults[target]
        ref = first.ref if first is not None else (self.cells[0].ref if self.cells else "")
        partial = isinstance(spec, dict) and "year" in spec
        # the column of the cell named: a value composed of several columns is named by its first part
        column = (_header_of(self.sheet, first) if first is not None and not partial else "") or self._label(spec)
        formats = self.mapping.date_formats if FIELDS.get(normalise(target)) in DATE_TARGETS else ()
        return RawCell(value, ref, first.hyperlink if first is not None else "", column=column, partial=partial, formats=formats)

    def _label(self, spec: Any) -> str:
        key = repr(spec)
        if key not in self.labels:
            names = [self.sheet.headers[self.present[n]] for n in names_in(spec) if n in self.present]  # in the mapping's order: Year/Month/Day
            self.labels[key] = "/".join(dict.fromkeys(names))
        return self.labels[key]

    def _compose(self, spec: Any, separator: str) -> tuple[str | None, RawCell | None]:
        if isinstance(spec, str):
            if "{" not in spec:
                return self.text(spec)
            values, first = {}, None
            for _literal, name, _format, _conversion in string.Formatter().parse(spec):
                if name is None:
                    continue
                text, cell = self.text(name)
                if not text:
                    return None, None
                values[name] = text
                first = first or cell
            return spec.format_map(values), first
        if isinstance(spec, list):
            parts, first = [], None
            for item in spec:
                text, cell = self._compose(item, separator)
                if text and text not in parts:
                    parts.append(text)
                    first = first or cell
            return (separator.join(parts) or None), first
        for item in spec["first"]:
            text, cell = self._compose(item, separator)
            if text:
                return text, cell
        return None, None

    def _date(self, spec: dict[str, str]) -> tuple[str | None, RawCell | None]:
        parts = {}
        for part in ("year", "month", "day"):
            text, cell = self.text(spec[part]) if part in spec else ("", None)
            parts[part] = (text, cell)
        year, month, day = (parts[p][0] for p in ("year", "month", "day"))
        if not year:
            return None, parts["year"][1]
        value = year if not month else f"{year}-{month}" if not day else f"{year}-{month}-{day}"
        if re.fullmatch(r"\d{1,3}", year):
            value = value.replace(year, year.zfill(4), 1)
        return value, parts["year"][1]


class _HtmlText(HTMLParser):
    """Text of a fragment of HTML: tags dropped, entities decoded, link targets collected."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "cite"}
    SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        if tag in self.BLOCKS:
            self.parts.append(" ")
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if href and href not in self.links:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> tuple[str, list[str]]:
    """Plain text of a TimelineJS-style HTML fragment, and the targets of its links in order.
    Nothing of the markup survives, so the text is safe to print; the links become sources
    (and the validator still refuses any that are not http, https or mailto)."""
    parser = _HtmlText()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split()), parser.links


def preset_names() -> list[str]:
    return list(PRESETS)


__all__ = ["Mapping", "apply_mapping", "html_to_text", "load_mapping", "parse_mapping", "preset_names", "preset_suggestion"]
