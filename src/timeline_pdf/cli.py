"""Command-line front: a thin layer over ``build`` and ``validate``.

Errors a user can fix (``TimelinePdfError``) become a message and exit code 1; usage errors
exit 2 (click's convention). Tracebacks are shown only with ``--debug``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from timeline_pdf import __version__
from timeline_pdf.errors import Finding, TimelinePdfError

WORKBOOK = click.argument("workbook", required=False, default="inputs/escalation.xlsx", type=click.Path(path_type=Path, dir_okay=False))


def _print_findings(findings: list[Finding] | tuple[Finding, ...]) -> None:
    for finding in findings:
        colour = "red" if finding.severity == "error" else "yellow"
        click.secho(str(finding), fg=colour, err=True)


def _fail(error: TimelinePdfError) -> None:
    from timeline_pdf.errors import WorkbookError

    if isinstance(error, WorkbookError):
        _print_findings(error.findings)
        click.secho(error.message, fg="red", err=True, bold=True)
    else:
        click.secho(f"error: {error}", fg="red", err=True)
    sys.exit(1)


def _guarded(debug: bool, action):
    try:
        return action()
    except TimelinePdfError as error:
        _fail(error)
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
@click.pass_context
def build(ctx: click.Context, workbook: Path, layouts: tuple[str, ...], out: Path) -> None:
    """Build the PDFs for WORKBOOK (default inputs/escalation.xlsx)."""
    from timeline_pdf.build import build as run_build

    started = time.perf_counter()
    built, findings = _guarded(ctx.obj["debug"], lambda: run_build(workbook, layouts, out))
    _print_findings(findings)
    for item in built:
        click.echo(f"wrote {item.path} ({item.pages} pages, {item.size / 1024:.0f} KB)")
    click.echo(f"built {len(built)} product(s) in {time.perf_counter() - started:.1f} s", err=True)


@cli.command()
@WORKBOOK
@click.pass_context
def validate(ctx: click.Context, workbook: Path) -> None:
    """Check WORKBOOK and list every problem found; writes nothing."""
    from timeline_pdf.validate import load_report

    report, findings = _guarded(ctx.obj["debug"], lambda: load_report(workbook))
    _print_findings(findings)
    warnings = sum(f.severity == "warning" for f in findings)
    click.echo(f"{workbook}: {len(report.events)} events, {report.excluded_rows} excluded (Include = no), no errors, {warnings} warning(s)")


def main() -> None:
    cli(prog_name="timeline-pdf")
