"""Command-line front: a thin layer over build, validate, export, init, verify, watch and preview.

Errors a user can fix (``TimelinePdfError``) become a message and exit code 1; usage errors
exit 2 (click's convention). Tracebacks are shown only with ``--debug``. With ``--format json``
the same findings are printed as one JSON document on standard output, for tools.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import click

from timeline_pdf import __version__
from timeline_pdf.errors import Finding, Interrupted, TimelinePdfError

WORKBOOK = click.argument("workbook", required=False, default="inputs/escalation.xlsx", type=click.Path(path_type=Path, dir_okay=False))
SHOWN_PER_KIND = 20  # in text output, findings of one kind beyond this are counted, not listed
PRESET_NAMES = ("acled", "ucdp", "timelinejs")


def _reading_options(command):
    """--preset, --mapping and --strict: how the workbook is read, for every command that reads it."""
    command = click.option("--strict", is_flag=True, help="Treat warnings as errors: any warning fails (exit 1) and nothing is written.")(command)
    command = click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.toml", help="Read WORKBOOK through your own column-mapping file (see the README).")(command)
    command = click.option("--preset", type=click.Choice(PRESET_NAMES, case_sensitive=False), help="Read WORKBOOK as an ACLED export, a UCDP GED extract or a TimelineJS sheet.")(command)
    return command


FORMAT_OPTION = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="'json' prints the findings (and files written) as JSON on standard output, for tools.")


def _import_options(command):
    """--preset, --mapping, --strict and --format, shared by build and validate."""
    return _reading_options(FORMAT_OPTION(command))


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


def _emit_json(document: dict) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _fail(error: TimelinePdfError, output_format: str = "text", workbook: Path | None = None) -> None:
    if output_format == "json":
        problems = [f.to_dict() for f in error.findings]
        _emit_json({"workbook": str(workbook or ""), "ok": False, "message": error.message, **_counts(problems), "findings": problems})
    else:
        _fail_text(error)
    sys.exit(1)


def _fail_text(error: TimelinePdfError) -> None:
    from timeline_pdf.errors import FindingsError

    _print_findings(error.findings)
    if isinstance(error, FindingsError):
        click.secho(error.message, fg="red", err=True, bold=True)


def _counts(findings: list[dict[str, str]]) -> dict[str, int]:
    severities = Counter(f["severity"] for f in findings)
    return {"errors": severities["error"], "warnings": severities["warning"], "notes": severities["note"]}


def _guarded(debug: bool, action, output_format: str = "text", workbook: Path | None = None):
    try:
        return action()
    except TimelinePdfError as error:
        _fail(error, output_format, workbook)
    except KeyboardInterrupt as interrupt:
        number = getattr(interrupt, "signal_number", signal.SIGINT)
        name = "SIGTERM" if number == signal.SIGTERM else "Ctrl-C"
        if getattr(interrupt, "committed", False):
            click.secho(f"interrupted ({name}) just as the files were put in place; they were all written in full first", fg="red", err=True)
        else:
            click.secho(f"interrupted ({name}); no file was left half-written: outputs not yet written keep their previous version", fg="red", err=True)
        sys.exit(128 + number)
    except Exception as error:  # the last line of defence: never a traceback for users
        if debug:
            raise
        _internal_error(error)


def _internal_error(error: BaseException) -> None:
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


LAYOUT_OPTION = click.option("--layout", "layouts", multiple=True, metavar="NAME_OR_PATH", help="A layout in layouts/ (e.g. 'brief') or a path; repeat for several. Default: every product layout in layouts/.")
OUT_OPTION = click.option("--out", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True, help="Folder the PDFs are written to.")


@cli.command()
@WORKBOOK
@LAYOUT_OPTION
@OUT_OPTION
@click.option("--edition", metavar="YYYY-MM[..YYYY-MM]", help="Build the monthly edition(s): events up to the month's end; the brief covers the month. A range builds each in turn.")
@click.option("--through", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", help="Build an edition cut off on this day.")
@click.option("--since-manifest", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="Mark events new or updated since this manifest (default: the previous edition's in --out).")
@click.option("--all", "parallel", is_flag=True, help="Build every product in its own process, with a progress display and a summary table; one failing product leaves the others alone.")
@click.option("--archive", is_flag=True, help="Also write a zip of the PDFs with their manifest.")
@_import_options
@click.pass_context
def build(ctx: click.Context, workbook: Path, layouts: tuple[str, ...], out: Path, edition: str | None, through, since_manifest: Path | None,
          parallel: bool, archive: bool, preset: str | None, mapping: Path | None, strict: bool, output_format: str) -> None:
    """Build the PDFs for WORKBOOK (default inputs/escalation.xlsx), and their manifest."""
    from timeline_pdf import console
    from timeline_pdf.build import build as run_build
    from timeline_pdf.build import build_all
    from timeline_pdf.edition import parse_editions, through_edition

    if edition and through:
        raise click.UsageError("give --edition or --through, not both")
    editions = _guarded(ctx.obj["debug"], lambda: parse_editions(edition)) if edition else [through_edition(through.date())] if through else [None]
    options = {"strict": strict, "preset": preset, "mapping": mapping, "since_manifest": since_manifest, "archive": archive}
    terminal = console.on_terminal() and output_format == "text"
    documents, failed_any = [], False
    for current in editions:
        started = time.perf_counter()
        if parallel:
            with console.product_progress(terminal) as progress:
                result = _guarded(ctx.obj["debug"], lambda: build_all(workbook, out, layout_names=layouts, edition=current, on_start=progress.start, on_done=progress.done, **options), output_format, workbook)
            bugs = [f.error for f in result.failed if not isinstance(f.error, TimelinePdfError)]
            if bugs and ctx.obj["debug"]:
                raise bugs[0]  # with the worker's traceback as its cause
        else:
            with console.stages(terminal) as stage:
                result = _guarded(ctx.obj["debug"], lambda: run_build(workbook, layouts, out, edition=current, on_stage=stage, **options), output_format, workbook)
        seconds = time.perf_counter() - started
        failed_any = failed_any or bool(result.failed)
        if output_format == "json":
            problems = [f.to_dict() for f in result.findings]
            documents.append({"workbook": str(workbook), "edition": current.label if current else None, "ok": not result.failed, **_counts(problems), "findings": problems,
                              "written": [{"layout": b.layout, "path": str(path), "pages": b.pages if path == b.path else None, "bytes": len(data)} for b in result.built for path, data in b.files()],
                              "failed": [{"layout": f.layout, "message": console.failure_message(f), "findings": [x.to_dict() for x in getattr(f.error, "findings", ())]} for f in result.failed],
                              "manifest": str(result.manifest) if result.manifest else None, "seconds": round(seconds, 2)})
            continue
        _print_findings(result.findings)
        if parallel:
            console.summary(result.built, result.failed, rich=terminal)
            for failure in result.failed:
                if isinstance(failure.error, TimelinePdfError):
                    _print_findings(failure.error.findings)
        for item in result.built:
            for path, data in item.files() if not parallel else item.files()[1:]:  # --all's table lists the products
                pages = f"{item.pages} pages, " if item.pages is not None and path == item.path else ""
                click.echo(f"wrote {path} ({pages}{len(data) / 1024:.0f} KB)")
        for extra in (result.manifest, result.archive):
            if extra:
                click.echo(f"wrote {extra}")
        label = f" ({current.label})" if current else ""
        click.echo(f"built {len(result.built)} product(s){label} in {seconds:.1f} s" + (f"; {len(result.failed)} failed" if result.failed else ""), err=True)
    if output_format == "json":
        _emit_json(documents[0] if len(documents) == 1 else {"editions": documents})
    if failed_any:
        sys.exit(1)


@cli.command()
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@FORMAT_OPTION
@click.pass_context
def verify(ctx: click.Context, manifest: Path, output_format: str) -> None:
    """Rebuild what MANIFEST describes and check every file it lists is byte for byte the same."""
    from timeline_pdf.manifest import verify as run_verify

    findings = _guarded(ctx.obj["debug"], lambda: run_verify(manifest), output_format)
    failed = any(f.severity == "error" for f in findings)
    if output_format == "json":
        problems = [f.to_dict() for f in findings]
        _emit_json({"manifest": str(manifest), "ok": not failed, **_counts(problems), "findings": problems})
    else:
        _print_findings(findings)
        if not failed:
            click.echo(f"{manifest}: verified; every output rebuilds byte for byte")
    if failed:
        sys.exit(1)


@cli.command()
@WORKBOOK
@LAYOUT_OPTION
@OUT_OPTION
@_reading_options
@click.pass_context
def watch(ctx: click.Context, workbook: Path, layouts: tuple[str, ...], out: Path, preset: str | None, mapping: Path | None, strict: bool) -> None:
    """Rebuild whenever WORKBOOK, its summary (.md) or a layout changes; Ctrl-C stops.

    A failed rebuild prints the problem and keeps the last good PDFs.
    """
    from timeline_pdf.build import Options
    from timeline_pdf.watch import Rebuild, WatchSession
    from timeline_pdf.watch import watch as run_watch

    def show(outcome) -> None:
        stamp = time.strftime("%H:%M:%S")
        if isinstance(outcome, Rebuild):
            _print_findings([f for f in outcome.findings if f.severity != "note"])
            files = ", ".join(f"{b.path.name} ({b.pages} p)" if b.pages is not None else b.path.name for b in outcome.built)
            reused = "; workbook reused" if outcome.reused_workbook else ""
            click.secho(f"[{stamp}] rebuilt {files} in {outcome.seconds:.2f} s{reused}", fg="green", err=True)
        elif isinstance(outcome, TimelinePdfError):
            click.secho(f"[{stamp}] rebuild failed; the last good PDFs are kept:", fg="red", err=True)
            _fail_text(outcome)
        click.echo("watching for changes (Ctrl-C to stop)", err=True)

    def run() -> None:
        try:
            run_watch(WatchSession(workbook, layouts, out, options=Options(strict=strict, preset=preset, mapping=mapping)), show)
        except KeyboardInterrupt as interrupt:  # Ctrl-C is how a watch ends; SIGTERM is reported like anywhere else
            if getattr(interrupt, "signal_number", signal.SIGINT) != signal.SIGINT:
                raise
            click.echo("stopped", err=True)

    _guarded(ctx.obj["debug"], run)


@cli.command()
@click.argument("source", required=False, default="inputs/escalation.xlsx", type=click.Path(path_type=Path, dir_okay=False))
@LAYOUT_OPTION
@click.option("--pages", metavar="LIST", help="Pages of a PDF to render, e.g. 1,3 or 2-4 (default: all).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default="output/preview", show_default=True, help="Folder for the PNG files.")
@click.option("--dpi", type=click.IntRange(30, 300), default=96, show_default=True, help="Resolution of the images.")
@click.pass_context
def preview(ctx: click.Context, source: Path, layouts: tuple[str, ...], pages: str | None, out: Path, dpi: int) -> None:
    """Render pages of SOURCE to PNG, with a contact sheet of all of them.

    SOURCE is a built PDF, a publication page (.html: pictured in Chromium at a desktop's and a
    phone's width), or a workbook: then its products are built first (into --out).
    """
    from timeline_pdf.preview import render_pages, screenshot_page

    def run() -> list[Path]:
        if source.suffix.lower() == ".pdf":
            return render_pages(source, out, pages, dpi)
        if source.suffix.lower() in (".html", ".htm"):
            if not source.is_file():
                raise TimelinePdfError(f"cannot open {source}: no such file", "build the page first, or check the path")
            return screenshot_page(source, out)
        from timeline_pdf.build import build as run_build

        built = run_build(source, layouts, out).built
        images = []
        for item in built:
            if item.path.suffix == ".pdf":
                images += render_pages(item.path, out, pages, dpi)
            else:
                try:
                    images += screenshot_page(item.path, out)
                except TimelinePdfError as error:  # the PDFs are pictured all the same; say why the page is not
                    click.secho(f"{item.path}: not pictured: {error.message}", fg="yellow", err=True)
        return images

    for image in _guarded(ctx.obj["debug"], run):
        click.echo(f"wrote {image}")


@cli.command()
@WORKBOOK
@_import_options
@click.pass_context
def validate(ctx: click.Context, workbook: Path, preset: str | None, mapping: Path | None, strict: bool, output_format: str) -> None:
    """Check WORKBOOK and list every problem found; writes nothing."""
    from timeline_pdf.errors import WorkbookError
    from timeline_pdf.validate import load_report

    def check():
        try:
            return load_report(workbook, strict=strict, preset=preset, mapping=mapping)
        except WorkbookError as error:
            raise error.checking_only() from None

    report, findings = _guarded(ctx.obj["debug"], check, output_format, workbook)
    warnings = sum(f.severity == "warning" for f in findings)
    notes = sum(f.severity == "note" for f in findings)
    if output_format == "json":
        problems = [f.to_dict() for f in findings]
        _emit_json({"workbook": str(workbook), "ok": True, "events": len(report.events), "excluded": report.excluded_rows, **_counts(problems), "findings": problems})
        return
    _print_findings(findings)
    click.echo(f"{workbook}: {len(report.events)} events, {report.excluded_rows} excluded (Include = no), no errors, {warnings} warning(s), {notes} note(s)")


@cli.command()
@WORKBOOK
@click.option("--to", "target", required=True, type=click.Path(path_type=Path, dir_okay=False), metavar="EVENTS.csv|.xlsx|.json", help="The file to write; its ending chooses the format.")
@_import_options
@click.pass_context
def export(ctx: click.Context, workbook: Path, target: Path, preset: str | None, mapping: Path | None, strict: bool, output_format: str) -> None:
    """Write the validated, included events of WORKBOOK as CSV, Excel or JSON: the data behind the PDFs.

    Dates are ISO (2020-01-03), blanks are empty, and text a spreadsheet would run as a
    formula is neutralised in CSV and Excel.
    """
    from timeline_pdf.export import FORMATS, export_events
    from timeline_pdf.validate import load_report

    if target.suffix.lower() not in FORMATS:
        raise click.BadParameter(f"'{target.name}' does not end in {', '.join(FORMATS)}", param_hint="--to")
    report, findings = _guarded(ctx.obj["debug"], lambda: load_report(workbook, strict=strict, preset=preset, mapping=mapping), output_format, workbook)
    count = _guarded(ctx.obj["debug"], lambda: export_events(report, target), output_format, workbook)
    if output_format == "json":
        problems = [f.to_dict() for f in findings]
        _emit_json({"workbook": str(workbook), "ok": True, **_counts(problems), "findings": problems, "written": {"path": str(target), "events": count}})
        return
    _print_findings(findings)
    click.echo(f"wrote {target} ({count} events)")


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


def _on_signal(number: int, frame) -> None:
    """SIGTERM (and Ctrl-C) stop the program where it is, as an exception, so that temporary
    files are removed on the way out; while outputs are renamed into place, they wait."""
    output = sys.modules.get("timeline_pdf.output")  # not imported yet: nothing is being written
    if output is not None:
        output.on_signal(number, frame)
    else:
        raise Interrupted(number)


def main() -> None:
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _on_signal)
    cli(prog_name="timeline-pdf")
