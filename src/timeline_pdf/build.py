"""The whole flow in one readable place: load -> validate -> model -> charts -> render -> write.

Every product is rendered in memory first; files are written only when all products built, and
then together (``output.Outputs``: all written in full, then renamed into place), so a failure,
an interrupt or a full disk never leaves a mix of new and old outputs. Each build writes a
manifest beside its PDFs; for a monthly edition the previous edition's manifest marks what is
new or updated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from timeline_pdf.edition import Edition, apply_edition
from timeline_pdf.errors import Finding, LayoutError, WorkbookError, layout_problem
from timeline_pdf.layout.load import SHIPPED_LAYOUTS, LoadedLayout, find_layouts, load_layout, resolve_layout
from timeline_pdf.manifest import Manifest, changes, event_hashes, file_hash, previous_manifest, sha256
from timeline_pdf.model import Report
from timeline_pdf.output import Outputs, output_name, write_archive, write_atomic
from timeline_pdf.validate import load_report

if TYPE_CHECKING:  # rendering imports ReportLab, which validation never needs
    from timeline_pdf.render.pdf import Rendered

DEFAULT_WORKBOOK = Path("inputs/escalation.xlsx")
DEFAULT_LAYOUTS = Path("layouts")
DEFAULT_OUT = Path("output")


@dataclass(frozen=True)
class Built:
    layout: str
    path: Path
    size: int
    pages: int
    seconds: float = 0.0


@dataclass
class BuildResult:
    built: list[Built]
    findings: list[Finding]
    manifest: Path | None = None
    archive: Path | None = None
    failed: list[tuple[str, str]] = field(default_factory=list)  # (layout, message), with --all


@dataclass(frozen=True)
class Options:
    """How to read the workbook and which edition to build: shared by every way of building."""

    strict: bool = False  # warnings stop the build too
    preset: str | None = None  # import a third-party layout (acled, ucdp, timelinejs)
    mapping: Path | None = None  # or a user-written column-mapping file
    edition: Edition | None = None  # one monthly edition
    since_manifest: Path | None = None  # mark changes since this manifest (default: found in out)
    archive: bool = False  # also zip the PDFs with their manifest


def load_layouts(names: tuple[str, ...] | list[str], folder: Path = DEFAULT_LAYOUTS) -> list[LoadedLayout]:
    """The named layouts, or every product layout in the folder; without a layouts folder,
    the layouts that ship with the package."""
    if not folder.is_dir() and folder == DEFAULT_LAYOUTS:
        folder = SHIPPED_LAYOUTS
    paths = [resolve_layout(n, folder) for n in names] if names else find_layouts(folder)
    layouts = [load_layout(p) for p in paths]
    for layout in layouts:
        if layout.spec.product is None:
            raise LayoutError(str(layout.path), [layout_problem(layout.path, "product", "this layout sets no product, so it cannot be built", 'set product = "timeline" or "brief"')])
    return layouts


def render(report: Report, layout: LoadedLayout) -> Rendered:
    from timeline_pdf.fonts import document_fonts

    fonts = document_fonts(layout)
    if layout.spec.product == "brief":
        from timeline_pdf.render.brief import render_brief

        return render_brief(report, layout, fonts)
    from timeline_pdf.render.timeline import render_timeline

    return render_timeline(report, layout, fonts)


def prepare(workbook: Path, out: Path, options: Options, loaded: tuple[Report, list[Finding]] | None = None) -> tuple[Report, list[Finding], Path | None]:
    """The validated report as this build sees it (read from ``workbook`` unless ``loaded``
    already, as the Python API does): cut to the edition, changes marked since the previous
    manifest (given, or the latest earlier edition's in the output folder)."""
    report, findings = loaded if loaded is not None else load_report(workbook, strict=options.strict, preset=options.preset, mapping=options.mapping)
    findings = list(findings)
    if options.edition is not None:
        report = apply_edition(report, options.edition)
    previous = options.since_manifest or previous_manifest(out, workbook.stem, report.edition)
    if previous is not None:
        marks = changes(Manifest.read(previous), report.events)
        report = replace(report, marks=tuple(sorted(marks.items())), added_since_last=sum(m == "new" for m in marks.values()))
    return report, findings, previous


def build(
    workbook: Path = DEFAULT_WORKBOOK,
    layout_names: tuple[str, ...] = (),
    out: Path = DEFAULT_OUT,
    layouts_folder: Path = DEFAULT_LAYOUTS,
    *,
    on_stage: Callable[[str], None] = lambda _stage: None,
    loaded: tuple[Report, list[Finding]] | None = None,
    **options,
) -> BuildResult:
    """Build the named layouts (default: every product layout); ``options`` are ``Options``
    fields. ``on_stage`` hears which stage is running, for a progress display. ``loaded`` is
    a report already validated (with its findings), built instead of reading ``workbook``."""
    settings = Options(**options)
    on_stage("Reading layouts")
    layouts = load_layouts(layout_names, layouts_folder)
    on_stage(f"Reading {workbook.name}")
    report, findings, previous = prepare(workbook, out, settings, loaded)
    rendered = []
    for layout in layouts:
        on_stage(f"Rendering {layout.name} ({len(report.events):,} events)")
        rendered.append((layout, render(report, layout)))
    on_stage("Writing files")
    notes = [Finding("warning", note, file=str(layout.path)) for layout, product in rendered for note in product.notes]
    if settings.strict and notes:  # --strict: a product's warnings stop the build too
        raise WorkbookError(findings + notes, strict=True)
    result = BuildResult([], findings + notes)
    with Outputs() as outputs:
        for layout, product in rendered:
            path = out / output_name(layout, workbook, report)
            outputs.add(path, product.data)
            result.built.append(Built(layout.name, path, len(product.data), product.pages))
        _finish(result, workbook, layouts, report, out, settings, previous, outputs)
        outputs.commit()
    return result


def _finish(result: BuildResult, workbook: Path, layouts: list[LoadedLayout], report: Report, out: Path, settings: Options, previous: Path | None, outputs: Outputs | None = None) -> BuildResult:
    """Write the manifest of what was built (and the archive, when everything was): into
    ``outputs`` when given (the caller commits), else together at once."""
    if not result.built:
        return result
    if outputs is None:
        with Outputs() as own:
            _finish(result, workbook, layouts, report, out, settings, previous, own)
            own.commit()
        return result
    built_layouts = [layout for layout in layouts if layout.name in {b.layout for b in result.built}]
    since = {"since": previous.name, "since_sha256": file_hash(previous)} if previous else {}
    recorded = {"preset": settings.preset, "mapping": str(settings.mapping) if settings.mapping else None, **since}
    result.manifest = write_manifest(workbook, built_layouts, report, result.built, out, recorded, outputs)
    if settings.archive and not result.failed:
        result.archive = write_archive(out / f"{result.manifest.name.removesuffix('.manifest.json')}.zip", [b.path for b in result.built] + [result.manifest], outputs)
    return result


def write_manifest(workbook: Path, layouts: list[LoadedLayout], report: Report, built: list[Built], out: Path, settings: dict, outputs: Outputs | None = None) -> Path:
    """The manifest of ``built``, staged in ``outputs`` (which holds the PDFs not yet in place)
    when given, else written at once."""
    inputs = {workbook.name: file_hash(workbook)} if workbook.is_file() else {}  # a report made from a DataFrame may have no file
    summary = workbook.with_suffix(".md")
    if summary.is_file():
        inputs[summary.name] = file_hash(summary)
    manifest = Manifest(
        edition=report.edition,
        inputs=inputs,
        layouts={str(p.name): file_hash(p) for layout in layouts for p in layout.chain},
        events=event_hashes(report.events),
        outputs={b.path.name: {"sha256": sha256(outputs.read(b.path) if outputs else b.path.read_bytes()), "bytes": b.size, "pages": b.pages} for b in built},
        settings={"workbook": str(workbook), "layouts": [str(layout.path) for layout in layouts], "through": report.coverage.end.isoformat() if report.coverage else None, **settings},
    )
    name = f"{workbook.stem}-{report.edition}.manifest.json" if report.edition else f"{workbook.stem}.manifest.json"
    path = out / name
    if outputs is not None:
        outputs.add(path, manifest.to_json().encode("utf-8"))
    else:
        write_atomic(path, manifest.to_json().encode("utf-8"))
    return path


def verify(manifest_path: Path) -> list[str]:
    """Rebuild what a manifest describes into a scratch folder and compare; [] when identical."""
    import tempfile

    from timeline_pdf.edition import edition_for

    manifest = Manifest.read(manifest_path)
    settings = manifest.settings
    workbook = Path(settings.get("workbook", ""))
    problems = [f"{name} has changed since the manifest was written" for name, digest in manifest.inputs.items()
                if not (workbook.parent / name).is_file() or file_hash(workbook.parent / name) != digest]
    since = manifest_path.parent / settings["since"] if settings.get("since") else None
    if since is not None and (not since.is_file() or file_hash(since) != settings.get("since_sha256")):
        problems.append(f"the previous edition's manifest {settings['since']} is missing or has changed")
    if problems:
        return problems
    with tempfile.TemporaryDirectory() as scratch:
        result = build(
            workbook, tuple(settings.get("layouts", ())), Path(scratch), preset=settings.get("preset"),
            mapping=Path(settings["mapping"]) if settings.get("mapping") else None,
            edition=edition_for(manifest.edition, settings.get("through")), since_manifest=since,
        )
        rebuilt = {b.path.name: sha256(b.path.read_bytes()) for b in result.built}
    for name, expected in manifest.outputs.items():
        if rebuilt.get(name) != expected["sha256"]:
            problems.append(f"{name}: the rebuilt file differs from the manifest's")
        elif not (manifest_path.parent / name).is_file() or file_hash(manifest_path.parent / name) != expected["sha256"]:
            problems.append(f"{name}: the file beside the manifest is missing or differs")
    return problems


def build_all(
    workbook: Path,
    out: Path,
    layouts_folder: Path = DEFAULT_LAYOUTS,
    *,
    layout_names: tuple[str, ...] = (),
    on_done: Callable[[str, Built | str], None] = lambda _name, _outcome: None,
    **options,
) -> BuildResult:
    """Every product in its own process: one failing leaves the others' files alone.

    Workers render; this process writes each product as it arrives (atomically), so an
    interrupt stops the workers (which hold no file open) and leaves every file whole.
    ``on_done(layout name, Built or error message)`` is called as each product finishes.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from timeline_pdf.errors import TimelinePdfError

    settings = Options(**options)
    layouts = load_layouts(layout_names, layouts_folder)
    report, findings, previous = prepare(workbook, out, settings)
    result = BuildResult([], findings)
    workers = max(1, min(len(layouts), os.cpu_count() or 1))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_signals)
    try:
        jobs = {pool.submit(_build_one, layout.path, report, workbook, out, settings.strict): layout for layout in layouts}
        for job in as_completed(jobs):
            layout = jobs[job]
            try:
                outcome, notes, data = job.result()
            except Exception as error:  # a worker's failure is reported, never raised past the others
                outcome, notes, data = f"internal error: {type(error).__name__}: {error}", (), b""
            if isinstance(outcome, Built):
                try:
                    write_atomic(outcome.path, data)
                except TimelinePdfError as error:
                    outcome = str(error)
            if isinstance(outcome, str):
                result.failed.append((layout.name, outcome))
            else:
                result.built.append(outcome)
                result.findings += [Finding("warning", note, file=str(layout.path)) for note in notes]
            on_done(layout.name, outcome)
    except BaseException:  # Ctrl-C, SIGTERM: stop the workers rather than wait for them
        pool.shutdown(wait=False, cancel_futures=True)
        for child in multiprocessing.active_children():
            child.terminate()
        raise
    finally:
        pool.shutdown(wait=True)
    order = {layout.name: index for index, layout in enumerate(layouts)}
    result.built.sort(key=lambda b: order[b.layout])
    return _finish(result, workbook, layouts, report, out, settings, previous)


def _worker_signals() -> None:
    """Workers write nothing, so they may simply stop: on SIGTERM at once; Ctrl-C reaches the
    whole process group, and the main process stops them."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _build_one(layout_path: Path, report: Report, workbook: Path, out: Path, strict: bool) -> tuple[Built | str, tuple[str, ...], bytes]:
    """Worker: render one product; it comes back with its bytes for the main process to write,
    or a problem as its message (errors carry more than pickling keeps)."""
    import time

    from timeline_pdf.errors import TimelinePdfError

    started = time.perf_counter()
    try:
        layout = load_layout(layout_path)
        product = render(report, layout)
        if strict and product.notes:
            raise WorkbookError([Finding("warning", note, file=str(layout.path)) for note in product.notes], strict=True)
        path = out / output_name(layout, workbook, report)
    except TimelinePdfError as error:
        return str(error), (), b""
    return Built(layout.name, path, len(product.data), product.pages, time.perf_counter() - started), product.notes, product.data
