"""Command-line front: a thin layer over ``build``, ``validate`` and ``init``.

Errors a user can fix (``TimelinePdfError``) become a message and exit code 1; usage errors
exit 2 (click's convention). Tracebacks are shown only with ``--debug``. With ``--format json``
the same findings are printed as one JSON document on standard output, for tools.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import click

from timeline_pdf import __version__
from timeline_pdf.errors import Finding, TimelinePdfError

WORKBOOK = click.argument("workbook", required=False, default="inputs/escalation.xlsx", type=click.Path(path_type=Path, dir_okay=False))
SHOWN_PER_KIND = 20  # in text output, findings of one kind beyond this are counted, not listed
PRESET_NAMES = ("acled", "ucdp", "timelinejs")


def _import_options(command):
    """--preset, --mapping, --strict and --format, shared by build and validate."""
    command = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="'json' prints the findings (and files written) as JSON on standard output, for tools.")(command)
    command = click.option("--strict", is_flag=True, help="Treat warnings as errors: any warning fails (exit 1) and nothing is written.")(command)
    command = click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.toml", help="Read WORKBOOK through your own column-mapping file (see the README).")(command)
    command = click.option("--preset", type=click.Choice(PRESET_NAMES, case_sensitive=False), help="Read WORKBOOK as an ACLED export, a UCDP GED extract or a TimelineJS sheet.")(command)
    return command


def _print_findings(findings: list[Finding] | tuple[Finding, ...]) -> None:
    shown: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    for finding in findings:
        kind = finding.code or finding.message
        shown[kind] += 1
        if shown[kind] > SHOWN_PER_KIND:
            hidden[kind] += 1
            continue
        colour = {"error": "red", "warning": "yellow"}.get(finding.severity)
        click.secho(str(finding), fg=colour, err=True)
    for kind, count in hidden.items():
        click.secho(f"... and {count} more finding(s) like '{kind}' (--format json lists every one)", err=True)


def _problem_dicts(error: TimelinePdfError) -> list[dict[str, str]]:
    """Any user-fixable error as finding-like dicts, for --format json."""
    from timeline_pdf.errors import LayoutError, MappingError, WorkbookError

    if isinstance(error, WorkbookError):
        return [f.to_dict() for f in error.findings]
    if isinstance(error, LayoutError):
        return [{"severity": "error", "code": "layout", "message": msg, "hint": "", "file": f, "key": key} for f, key, msg in error.problems]
    if isinstance(error, MappingError):
        return [{"severity": "error", "code": "mapping", "message": msg, "hint": "", "file": error.file, "key": key} for key, msg in error.problems]
    return [{"severity": "error", "code": "error", "message": error.message, "hint": error.hint, "file": ""}]


def _emit_json(document: dict) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _fail(error: TimelinePdfError, output_format: str = "text", workbook: Path | None = None) -> None:
    from timeline_pdf.errors import WorkbookError

    if output_format == "json":
        problems = _problem_dicts(error)
        _emit_json({"workbook": str(workbook or ""), "ok": False, "message": error.message, **_counts(problems), "findings": problems})
    elif isinstance(error, WorkbookError):
        _print_findings(error.findings)
        click.secho(error.message, fg="red", err=True, bold=True)
    else:
        click.secho(f"error: {error}", fg="red", err=True)
    sys.exit(1)


def _counts(findings: list[dict[str, str]]) -> dict[str, int]:
    severities = Counter(f["severity"] for f in findings)
    return {"errors": severities["error"], "warnings": severities["warning"], "notes": severities["note"]}


def _guarded(debug: bool, action, output_format: str = "text", workbook: Path | None = None):
    try:
        return action()
    except TimelinePdfError as error:
        _fail(error, output_format, workbook)
    except KeyboardInterrupt:
        click.secho("interrupted; no output was changed", fg="red", err=True)
        sys.exit(130)
    except Exception as error:  # the last line of defence: never a traceback for users
        if debug:
            raise
        click.secho(f"internal error: {type(error).__name__}: {error}", fg="red", err=True)
        click.secho("    this is a bug in timeline-pdf; run again with --debug and report the output", err=True)
        sys.exit(3)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="timeline-pdf")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build escalation timelines and briefs (PDF) from an events workbook.

    Run from a project folder with inputs/ (the workbook) and layouts/ (the layouts).
    """
    ctx.obj = {"debug": debug}


@cli.command()
@WORKBOOK
@click.option("--layout", "layouts", multiple=True, metavar="NAME_OR_PATH", help="A layout in layouts/ (e.g. 'brief') or a path; repeat for several. Default: every product layout in layouts/.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True, help="Folder the PDFs are written to.")
@_import_options
@click.pass_context
def build(ctx: click.Context, workbook: Path, layouts: tuple[str, ...], out: Path, preset: str | None, mapping: Path | None, strict: bool, output_format: str) -> None:
    """Build the PDFs for WORKBOOK (default inputs/escalation.xlsx)."""
    from timeline_pdf.build import build as run_build

    started = time.perf_counter()
    built, findings = _guarded(ctx.obj["debug"], lambda: run_build(workbook, layouts, out, strict=strict, preset=preset, mapping=mapping), output_format, workbook)
    seconds = time.perf_counter() - started
    if output_format == "json":
        problems = [f.to_dict() for f in findings]
        _emit_json({"workbook": str(workbook), "ok": True, **_counts(problems), "findings": problems,
                    "written": [{"layout": b.layout, "path": str(b.path), "pages": b.pages, "bytes": b.size} for b in built], "seconds": round(seconds, 2)})
        return
    _print_findings(findings)
    for item in built:
        click.echo(f"wrote {item.path} ({item.pages} pages, {item.size / 1024:.0f} KB)")
    click.echo(f"built {len(built)} product(s) in {seconds:.1f} s", err=True)


@cli.command()
@WORKBOOK
@_import_options
@click.pass_context
def validate(ctx: click.Context, workbook: Path, preset: str | None, mapping: Path | None, strict: bool, output_format: str) -> None:
    """Check WORKBOOK and list every problem found; writes nothing."""
    from timeline_pdf.validate import load_report

    report, findings = _guarded(ctx.obj["debug"], lambda: load_report(workbook, strict=strict, preset=preset, mapping=mapping), output_format, workbook)
    warnings = sum(f.severity == "warning" for f in findings)
    if output_format == "json":
        problems = [f.to_dict() for f in findings]
        _emit_json({"workbook": str(workbook), "ok": True, "events": len(report.events), "excluded": report.excluded_rows, **_counts(problems), "findings": problems})
        return
    _print_findings(findings)
    click.echo(f"{workbook}: {len(report.events)} events, {report.excluded_rows} excluded (Include = no), no errors, {warnings} warning(s)")


@cli.command()
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Replace an existing inputs/escalation.xlsx and inputs/escalation.md.")
@click.pass_context
def init(ctx: click.Context, folder: Path, force: bool) -> None:
    """Write a new events workbook to fill in: FOLDER/inputs/escalation.xlsx (default FOLDER: here).

    It has the Events, Categories and Report sheets with drop-down lists, date formats, a note on
    each column and one example row; inputs/escalation.md is where the brief's summary goes.
    """
    from timeline_pdf.template import write_template

    written = _guarded(ctx.obj["debug"], lambda: write_template(folder, force=force))
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: fill in the Events sheet (replace the example row), then run 'timeline-pdf validate {written[0]}'", err=True)


def main() -> None:
    cli(prog_name="timeline-pdf")
