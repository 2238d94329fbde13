"""Events as a pandas DataFrame, and a DataFrame back into a validated report.

``events_frame`` gives one row per included event in fixed columns and dtypes. Dates are
``datetime64[s]``: pandas' default nanosecond timestamps end at 1677-09-21 and 2262-04-11, and
imports reach further back than that; whole seconds reach any year a workbook may hold
(100 to 9899), and the ``.dt`` accessor, comparisons with ``"2020-01-03"`` and resampling work as
usual. Casualties are nullable ``Int64`` (``<NA>`` is not reported, 0 is none); coordinates are
floats, NaN when blank; blank text is ``<NA>``.

``from_frame`` validates a frame by the very rules a workbook meets: the frame becomes an Events
sheet whose cells are its values, ``validate.build_report`` reads it, and each finding is located
back at the frame's row label and column (``frame.loc[14, 'date']``).

pandas is imported here and nowhere on the way to a PDF, so ``timeline-pdf build`` never pays
for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from timeline_pdf.contract import REPORT_BY_KEY, normalise
from timeline_pdf.errors import CATEGORY_HINT, Finding, FrameFinding
from timeline_pdf.manifest import event_ids
from timeline_pdf.model import KINDS, Report
from timeline_pdf.validate import Findings, build_report
from timeline_pdf.workbook import RawCell, RawSheet, RawWorkbook

if TYPE_CHECKING:
    import pandas as pd

TEXT_COLUMNS = ("headline", "description", "location", "actor", "target")
# the frame's own columns, beside those of the workbook contract: read by from_frame, never an Events column
KIND, REF, DATE_PRECISION, END_PRECISION = "kind", "ref", "date_precision", "end_date_precision"
OWN_COLUMNS = {normalise(c): c for c in (KIND, REF, DATE_PRECISION, END_PRECISION)}
PRECISIONS = ("day", "month", "year")
HEADER_ROW = 1  # the frame's columns are the header row of the Events sheet it becomes; row labels follow from row 2
ROW_MENTION = re.compile(r"\brow (\d+)\b")  # "row 5 looks like a duplicate of row 3": worksheet rows, put back as labels


def frame_columns(report: Report) -> list[str]:
    """The columns of ``events_frame``, in order."""
    partial = any(e.date_precision != "day" or e.end_date_precision != "day" for e in report.events)
    precision = [DATE_PRECISION, END_PRECISION] if partial else []
    casualties = [f"{group} {what}" for group in report.groups for what in ("killed", "wounded")]
    return ["id", "date", "end_date", *precision, "category", KIND, "key", *TEXT_COLUMNS[:2], "location", "actor", "target",
            "latitude", "longitude", "sources", *casualties, REF]


def events_frame(report: Report, origins: Mapping[int, str] | None = None) -> pd.DataFrame:
    """One row per included event, in date order. ``origins`` maps an event's row to where it
    came from when that is not a cell of the events sheet (a frame's row)."""
    import numpy as np
    import pandas as pd

    events = report.events
    origins = origins or {}

    def text(values) -> pd.api.extensions.ExtensionArray:
        return pd.array([v if v else None for v in values], dtype="string")

    def days(values) -> np.ndarray:
        return np.array(list(values), dtype="datetime64[s]")

    columns: dict[str, Any] = {
        "id": text(event_ids(events)),
        "date": days(e.date for e in events),
        "end_date": days(e.end_date for e in events),
        DATE_PRECISION: text(e.date_precision for e in events),
        END_PRECISION: text(e.end_date_precision if e.end_date else None for e in events),
        "category": text(e.category for e in events),
        KIND: text(report.category(e.category).kind for e in events),
        "key": np.array([e.key for e in events], dtype=bool),
        **{name: text(getattr(e, name) for e in events) for name in TEXT_COLUMNS},
        "latitude": np.array([math.nan if e.latitude is None else e.latitude for e in events], dtype=float),
        "longitude": np.array([math.nan if e.longitude is None else e.longitude for e in events], dtype=float),
        "sources": text(" ".join(s.url for s in e.sources) for e in events),
        REF: text(origins.get(e.row) or f"{report.events_sheet}!A{e.row}" for e in events),
    }
    for group in report.groups:
        for what in ("killed", "wounded"):
            columns[f"{group} {what}"] = pd.array([getattr(e.casualties_for(group), what) for e in events], dtype="Int64")
    return pd.DataFrame({name: columns[name] for name in frame_columns(report)})


# --- a frame back into a report ----------------------------------------------------------------


def report_from_frame(
    frame: pd.DataFrame,
    *,
    like: Report | None = None,
    info: Mapping[str, Any] | None = None,
    name: str = "frame",
) -> tuple[Report, list[Finding], dict[int, str]]:
    """The report a frame describes, every finding located in the frame, and where each event
    came from (its ``ref`` when the frame has one, else its row label). Categories, Report
    facts and the summary come from ``like`` (a report) and ``info`` (Report sheet fields by
    name, which win); a ``kind`` column sets the kinds of categories."""
    labels = [_plain(label) for label in frame.index]
    names = [str(column) for column in frame.columns]
    own = {OWN_COLUMNS[normalise(c)]: i for i, c in enumerate(names) if normalise(c) in OWN_COLUMNS}
    kept = [i for i in range(len(names)) if i not in own.values()]
    values = {i: [_plain(v) for v in frame.iloc[:, i].tolist()] for i in range(len(names))}
    place = _Place(name, labels, [names[i] for i in kept])
    findings: list[Finding] = []

    precisions = {which: _precisions(values.get(own[which]) if which in own else None, names[own[which]] if which in own else which, place, findings)
                  for which in (DATE_PRECISION, END_PRECISION)}
    # each kept column's precisions (a date column's, when the frame gives them), worked out once
    column_precisions = [precisions.get({"date": DATE_PRECISION, "enddate": END_PRECISION}.get(normalise(names[column]), ""), []) for column in kept]
    rows = []
    for position in range(len(labels)):
        number = position + HEADER_ROW + 1
        cells = []
        for index, column in enumerate(kept):
            value, partial = values[column][position], False
            precision = column_precisions[index][position] if column_precisions[index] else "day"
            if precision in ("month", "year") and isinstance(value, (date, datetime)):  # the month or year alone, as the import read it
                value, partial = (f"{value.year:04d}-{value.month:02d}" if precision == "month" else f"{value.year:04d}"), True
            cells.append(RawCell(value, f"{get_column_letter(index + 1)}{number}", column=names[column], partial=partial))
        rows.append((number, cells))
    sheets = {"events": RawSheet("Events", HEADER_ROW, [names[i] for i in kept], rows)}
    categories = _categories(like, values.get(own[KIND]) if KIND in own else None, values, names, kept, place, findings)
    if categories:
        sheets["categories"] = RawSheet("Categories", 1, ["Category", "Kind", "Description", "Plural"],
                                        [(n + 2, [RawCell(value, f"{letter}{n + 2}") for letter, value in zip("ABCD", row)]) for n, row in enumerate(categories)])
    fields = list((info or {}).items())
    if fields:
        sheets["report"] = RawSheet("Report", 1, ["Field", "Value"], [(n + 2, [RawCell(_plain(k), f"A{n + 2}"), RawCell(_plain(v), f"B{n + 2}")]) for n, (k, v) in enumerate(fields)])

    collected = Findings(name)
    report = build_report(RawWorkbook(Path(name), sheets), collected)
    findings += [place.locate(f, fields) for f in _about_frames(collected.items, like)]
    report = replace(report, info=_info(like, report, fields), summary_markdown=like.summary_markdown if like else None, summary_file=like.summary_file if like else "",
                     source_name=name, notes=like.notes if like else ())
    report = replace(report, events=_without_derived_ids(report.events))
    refs = values.get(own[REF]) if REF in own else None
    origins = {}
    for position, label in enumerate(labels):
        given = refs[position] if refs else None
        origins[position + HEADER_ROW + 1] = str(given) if given not in (None, "") else f"{name}.loc[{label!r}]"
    return report, findings, origins


class _Place:
    """Puts a finding about the Events sheet made of a frame back at the frame's row label and column."""

    def __init__(self, name: str, labels: list[Any], headers: list[str]) -> None:
        self.name, self.labels, self.headers = name, labels, headers

    def at(self, label: Any = None, column: str = "") -> str:
        if label is None:
            return f"{self.name}[{column!r}]" if column else self.name
        return f"{self.name}.loc[{label!r}, {column!r}]" if column else f"{self.name}.loc[{label!r}]"

    def finding(self, severity: str, message: str, hint: str, code: str, position: int | None = None, column: str = "", value: Any = "") -> FrameFinding:
        label = self.labels[position] if position is not None else None
        shown = "" if value in ("", None) else str(value)[:80]
        return FrameFinding(severity, message, hint, self.name, column=column, value=shown, code=code, row=label, where=self.at(label, column))  # type: ignore[arg-type]

    def label(self, number: int) -> Any:
        return self.labels[number - HEADER_ROW - 1]

    def locate(self, finding: Finding, fields: list[tuple[Any, Any]]) -> FrameFinding:
        common = {"severity": finding.severity, "message": finding.message, "hint": finding.hint, "file": self.name, "value": finding.value, "code": finding.code}
        if finding.sheet == "Report":  # a Report field given in info=
            number = coordinate_from_string(finding.cell)[1] if finding.cell else 0
            key = fields[number - 2][0] if 2 <= number < len(fields) + 2 else None
            return FrameFinding(**common, row=key, where=f"info[{key!r}]" if key is not None else "info")
        if finding.sheet != "Events" or not finding.cell:
            return FrameFinding(**common, where=self.name)
        letters, number = coordinate_from_string(finding.cell)
        index = column_index_from_string(letters) - 1
        column = self.headers[index] if index < len(self.headers) and finding.code != "column-missing" else ""
        label = self.label(number) if number > HEADER_ROW else None
        if finding.code in ("event-duplicate", "id-duplicate"):
            common["message"] = ROW_MENTION.sub(lambda m: f"row {self.label(int(m[1]))!r}", finding.message)
        if finding.code == "category-unknown":
            common["hint"] = common["hint"].replace(CATEGORY_HINT, f"give its kind in a '{KIND}' column")
        return FrameFinding(**common, column=column, row=label, where=self.at(label, column))


SHEET_NOTES = {  # notes on what a workbook leaves out, as they apply to a frame
    "report-missing": "give the Report fields with info={'Title': ..., 'Period Start': ...}, or like=report",
    "report-default": "give it with info={'Title': ..., 'Reference Date': ...}, or like=report",
    "categories-missing": "give each category's kind in a 'kind' column, or like=report",
}


def _about_frames(findings: list[Finding], like: Report | None) -> list[Finding]:
    """The notes on a missing Report or Categories sheet, with a frame's way to give them; with
    ``like`` there is nothing missing (its facts and kinds are used), so none."""
    if like is not None:
        return [f for f in findings if f.code not in SHEET_NOTES]
    return [replace(f, hint=SHEET_NOTES[f.code]) if f.code in SHEET_NOTES else f for f in findings]


def _precisions(values: list[Any] | None, column: str, place: _Place, findings: list[Finding]) -> list[str]:
    """Each row's date precision: day, month or year (blank is day)."""
    if values is None:
        return []
    result = []
    for position, value in enumerate(values):
        text = "" if value is None else str(value).strip().lower()
        if text and text not in PRECISIONS:
            findings.append(place.finding("error", f"'{value}' is not a date precision", "write day, month or year (blank means day)", "date-invalid", position, column, value))
        result.append(text or "day")
    return result


def _categories(like: Report | None, kinds: list[Any] | None, values: dict[int, list[Any]], names: list[str], kept: list[int], place: _Place, findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    """Rows of a Categories sheet (name, kind, description, plural): those of ``like``, with the
    kinds a ``kind`` column gives (checked here, so a mistake names its row), then new
    categories in order of first use."""
    rows = {c.name: (c.name, c.kind, c.description, c.plural) for c in like.categories} if like else {}
    if kinds is None:
        return list(rows.values())
    category_column = next((i for i in kept if normalise(names[i]) == "category"), None)
    if category_column is None:
        return list(rows.values())
    kind_column = next(c for c in names if normalise(c) == KIND)
    given: dict[str, tuple[str, int]] = {}
    for position, (category, kind) in enumerate(zip(values[category_column], kinds)):
        name, text = str(category).strip() if category is not None else "", str(kind).strip().lower() if kind is not None else ""
        if not name or not text:
            continue
        if text not in KINDS:
            findings.append(place.finding("error", f"kind '{kind}' is not one of {', '.join(KINDS)}", f"set {kind_column} to one of: {', '.join(KINDS)}", "category-kind", position, kind_column, kind))
            continue
        if name in given and given[name][0] != text:
            first = place.labels[given[name][1]]
            findings.append(place.finding("error", f"category '{name}' is '{given[name][0]}' in row {first!r} but '{text}' here",
                                          f"give every row of '{name}' the same {kind_column}", "category-kind", position, kind_column, kind))
            continue
        given.setdefault(name, (text, position))
        description, plural = rows[name][2:] if name in rows else ("", "")
        rows[name] = (name, text, description, plural)
    return list(rows.values())


def _info(like: Report | None, read: Report, fields: list[tuple[Any, Any]]):
    """``like``'s Report facts with the fields given in ``info`` put over them."""
    if like is None:
        return read.info
    if not fields:
        return like.info
    given = {REPORT_BY_KEY[normalise(k)].key for k, _ in fields if normalise(k) in REPORT_BY_KEY}
    changes = {key: getattr(read.info, key) for key in given if hasattr(read.info, key)}
    if given & {"period_start", "period_end"}:
        changes["period"] = read.info.period
    return replace(like.info, **changes)


def _without_derived_ids(events: tuple) -> tuple:
    """A frame from ``events_frame`` carries each event's id; an id that is only the one the
    event would be given anyway (a hash of its date, category, headline and location) is
    dropped again, so a frame round trip changes nothing, down to the manifest's hashes. An
    id that differs (the event was edited) is kept: the event keeps its identity."""
    if not any(e.id.startswith("e-") for e in events):
        return events
    blanked = tuple(replace(e, id="") if e.id.startswith("e-") else e for e in events)
    return tuple(bare if e.id == derived else e for e, bare, derived in zip(events, blanked, event_ids(blanked)))


def _plain(value: Any) -> Any:
    """A value as a workbook cell would hold it: Python scalars, datetimes, None for blank."""
    import numpy as np
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()  # any year: the Timestamp of a datetime64[s] value is not bound to 1677..2262
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[s]").item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple, set, np.ndarray)):  # several sources in one cell
        return " ".join(str(v) for v in value)
    return value
