"""The Python API: what the command line does, for notebooks and scripts.

    import timeline_pdf as tp

    report = tp.load("inputs/escalation.xlsx")        # validated; raises tp.WorkbookError (.findings)
    frame = tp.events_frame(report)                   # pandas DataFrame, one row per included event
    tp.figures(report, since="2020-01-03", group="US")
    edited = tp.from_frame(frame[frame.category != "Iraqi politics"], like=report)
    tp.build(edited, out="output", layouts=["brief"])  # the files it wrote

Reading, validation, figures and building are the command line's own functions; this module
only adapts them to Python values. pandas is imported by ``events_frame`` and ``from_frame``
alone, so loading, counting and building cost what the command line costs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline_pdf import model
from timeline_pdf.errors import Finding, TimelinePdfError, WorkbookError
from timeline_pdf.metrics import Tally

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | os.PathLike


@dataclass(frozen=True, eq=False)
class Report:
    """A validated workbook (or DataFrame): what the products are built from, with the
    warnings and notes its validation gave. Made by ``load`` and ``from_frame``."""

    model: model.Report  # the events, categories, groups and Report facts, as the renderers see them
    findings: tuple[Finding, ...] = ()  # warnings and notes (errors raise WorkbookError instead)
    workbook: Path | None = None  # the file it was read from (None when made from a frame): names the output files and the manifest's input
    origins: Mapping[int, str] = field(default_factory=dict)  # an event's row -> where it came from, when not an Events cell
    preset: str | None = None
    mapping: Path | None = None

    @property
    def events(self) -> tuple[model.Event, ...]:
        """The included events, in date order."""
        return self.model.events

    @property
    def info(self) -> model.ReportInfo:
        return self.model.info

    @property
    def categories(self) -> tuple[model.Category, ...]:
        return self.model.categories

    @property
    def groups(self) -> tuple[str, ...]:
        """The casualty groups, in the workbook's column order."""
        return self.model.groups

    @property
    def period(self) -> model.Period:
        return self.model.period

    @property
    def summary(self) -> str | None:
        """The analyst's summary (Markdown), if there is one."""
        return self.model.summary_markdown

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def notes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "note")

    def __repr__(self) -> str:
        source = self.workbook or self.model.source_name or "frame"
        return f"<timeline_pdf.Report {source}: {len(self.events)} events, {len(self.warnings)} warning(s)>"


def load(path: PathLike, *, preset: str | None = None, mapping: PathLike | None = None, strict: bool = False) -> Report:
    """Read and validate a workbook (.xlsx, .xlsm or .csv) as ``timeline-pdf validate`` does.

    ``preset`` ("acled", "ucdp", "timelinejs") or ``mapping`` (a column-mapping TOML file) read
    another tool's layout. Errors raise ``WorkbookError`` carrying every finding; with
    ``strict`` warnings do too. Warnings and notes are on the result's ``findings``.
    """
    from timeline_pdf.validate import load_report

    workbook = Path(path)
    mapping_path = Path(mapping) if mapping is not None else None
    try:
        loaded, findings = load_report(workbook, strict=strict, preset=preset, mapping=mapping_path)
    except WorkbookError as error:
        raise error.checking_only() from None  # loading builds nothing
    return Report(loaded, tuple(findings), workbook, preset=preset, mapping=mapping_path)


def events_frame(report: Report) -> pd.DataFrame:
    """The included events as a pandas DataFrame, one row per event in date order.

    Columns: ``id`` (the event's stable id, as in the manifest), ``date`` and ``end_date``
    (``datetime64[s]``, which holds any year from 100 to 9899, unlike pandas' default
    nanoseconds), ``category``, ``kind`` (attack, response, political, other), ``key`` (bool),
    ``headline``, ``description``, ``location``, ``actor``, ``target`` (strings, ``<NA>`` when
    blank), ``latitude`` and ``longitude`` (float, NaN when blank), ``sources`` (the links,
    separated by spaces), ``<group> killed`` and ``<group> wounded`` for each casualty group
    (``Int64``: ``<NA>`` is not reported, 0 is none) and ``ref`` (where the event was read,
    ``Events!A14``). Events dated to a month or a year only (imports) add ``date_precision``
    and ``end_date_precision`` after ``end_date``.
    """
    from timeline_pdf.frames import events_frame as frame_of

    return frame_of(_model(report), report.origins if isinstance(report, Report) else None)


def from_frame(
    frame: pd.DataFrame,
    *,
    like: Report | None = None,
    info: Mapping[str, Any] | None = None,
    summary: str | None = None,
    name: str = "frame",
    strict: bool = False,
) -> Report:
    """A report from a DataFrame with the workbook's column names (as ``events_frame`` gives
    them, or as typed in a workbook: case, spaces and punctuation are ignored), validated by
    the workbook's rules.

    ``like`` gives the categories (with their kinds), the Report facts and the summary of an
    existing report; ``info`` gives Report sheet fields by name (``{"Title": ...,
    "Period Start": "2020-01-01"}``), over those of ``like``; ``summary`` the summary's Markdown.
    A ``kind`` column sets the kinds of categories. Errors raise ``WorkbookError``, each finding
    named by ``name``, the row label and the column (``frame.loc[14, 'date']``).

    The report is not ``like``'s workbook: ``name`` also names its files (``frame-brief.pdf``,
    ``frame.manifest.json``), so building it never replaces the workbook's products, and its
    manifest says the events were in memory rather than naming files they were never read from.
    """
    import pandas as pd

    from timeline_pdf.frames import report_from_frame

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"from_frame needs a pandas DataFrame, not {type(frame).__name__}")
    if like is not None and not isinstance(like, Report):
        raise TypeError(f"like= needs a timeline_pdf.Report (from load or from_frame), not {type(like).__name__}")
    if not isinstance(name, str) or not name.strip() or name.strip(".") == "" or any(c in name for c in "/\\"):
        raise ValueError(f"name= names the frame's findings and output files, so it must be a plain file name such as 'frame', not {name!r}")
    built, findings, origins = report_from_frame(frame, like=like.model if like else None, info=info, name=name)
    if summary is not None:
        from dataclasses import replace

        built = replace(built, summary_markdown=summary, summary_file="summary")
    if built.summary_markdown:  # its live figures, checked against the frame's events
        from timeline_pdf.summary import check_summary

        findings += check_summary(built.summary_markdown, built, built.summary_file or "summary")
    errors = [f for f in findings if f.severity == "error"]
    if errors or (strict and any(f.severity == "warning" for f in findings)):
        raise WorkbookError(findings, strict=strict, building=False)
    return Report(built, tuple(findings), None, origins)  # read from no file, through no preset or mapping


def figures(report: Report, *, since: date | str | None = None, until: date | str | None = None, category: str | None = None, group: str | None = None) -> Tally:
    """The figures the brief's headline figures and the summary's live figures print.

    By default over the report's period; ``since`` and ``until`` (dates, ``"YYYY-MM-DD"``, or
    ``since="reference"`` for the Report sheet's Reference Date) replace either end.
    ``category`` counts one category; ``group`` one casualty group. The result has ``events``,
    ``attacks``, ``killed`` and ``wounded`` (in attacks: ``Count``, whose ``str`` is what the
    brief prints, such as "at least 3"), ``new_events`` (when a previous edition is known) and
    the ``since`` and ``until`` it covered. A mistake raises ``TimelinePdfError`` with a
    did-you-mean.
    """
    from timeline_pdf.selection import choose, tally

    target = _model(report)
    choice, problems = choose(target, since=since, until=until, category=category, group=group)
    _raise_first(problems)
    return tally(target, choice)


def _raise_first(problems: list) -> None:  # noqa: ANN001 - selection.Problem
    """An argument's mistakes as one ``TimelinePdfError``: the first with its hint, then the rest."""
    if problems:
        first = problems[0]
        others = "".join(f"; {p.argument}: {p.message}" for p in problems[1:])
        raise TimelinePdfError(f"{first.argument}: {first.message}{others}", first.hint)


def build(
    report_or_path: Report | PathLike = "inputs/escalation.xlsx",
    *,
    layouts: Iterable[str] = (),
    out: PathLike = "output",
    edition: str | None = None,
    through: date | str | None = None,
    layouts_folder: PathLike = "layouts",
    preset: str | None = None,
    mapping: PathLike | None = None,
    strict: bool = False,
    archive: bool = False,
) -> list[Path]:
    """Build the products as ``timeline-pdf build`` does and return the files written (the
    PDFs, then the manifest, then the archive).

    ``report_or_path`` is a report from ``load`` or ``from_frame`` (built as it is; one from a
    frame names its files by its ``name``), or the path of a workbook (read with ``preset``,
    ``mapping`` and ``strict``). ``layouts`` names layouts
    in ``layouts_folder`` (default: every product layout) or paths; ``edition`` is ``"2020-03"``
    or a range ``"2020-01..2020-03"``; ``through`` cuts an edition off on a day.
    """
    from timeline_pdf.build import build as run_build
    from timeline_pdf.edition import parse_editions, through_edition
    from timeline_pdf.selection import read_day

    if edition and through:
        raise TimelinePdfError("give edition or through, not both", "edition='2020-03' builds March 2020; through='2020-03-15' cuts it off on a day")
    problems: list = []
    day = read_day(None, "through", through, problems)  # a date, a Timestamp or YYYY-MM-DD, as figures() reads since and until
    _raise_first(problems)
    editions = parse_editions(edition) if edition else [through_edition(day)] if day else [None]
    options: dict[str, Any] = {"preset": preset, "mapping": Path(mapping) if mapping is not None else None, "strict": strict, "archive": archive}
    loaded = None
    workbook = Path(report_or_path) if not isinstance(report_or_path, Report) else None
    if isinstance(report_or_path, Report):
        loaded = (report_or_path.model, list(report_or_path.findings))
        workbook = report_or_path.workbook
        options.update(preset=report_or_path.preset, mapping=report_or_path.mapping)
        if workbook is None:  # made from a frame: named by it (frame-brief.pdf), with no input file to hash or rebuild from
            workbook = Path(f"{report_or_path.model.source_name}.frame")
            options.update(in_memory=report_or_path.model.source_name)
    written: list[Path] = []
    for current in editions:
        result = run_build(workbook, tuple(layouts), Path(out), Path(layouts_folder), loaded=loaded, edition=current, **options)
        written += [path for b in result.built for path, _data in b.files()] + [p for p in (result.manifest, result.archive) if p is not None]
    return written


def _model(report: Report | model.Report) -> model.Report:
    if isinstance(report, Report):
        return report.model
    if isinstance(report, model.Report):
        return report
    raise TypeError(f"expected a timeline_pdf.Report (from load or from_frame), not {type(report).__name__}")
