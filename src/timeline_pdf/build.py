"""The whole flow in one readable place: load -> validate -> model -> charts -> render -> write.

``prepare`` reads the layouts and the workbook once; ``render_products`` turns them into every
requested product, in memory; ``stage`` puts the products and their manifest into an
``output.Outputs`` (written in full, then renamed into place together). ``build``, ``build_all``
and a watch session (``watch.py``) are these three steps, differing only in how they schedule
the rendering and when they write: so the same inputs give the same files, byte for byte, any
way they are built.

A product kind is one entry of ``PRODUCTS``: a function from the report and the layout to bytes,
and any companion files the product links to (the publication page's thumbnails and events CSV),
written with it. A kind that ``carries`` the others (the page) is rendered after them and given
them, so it can say what each PDF holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from timeline_pdf.edition import Edition, apply_edition
from timeline_pdf.errors import Finding, LayoutError, TimelinePdfError, WorkbookError, layout_problem
from timeline_pdf.layout.load import SHIPPED_LAYOUTS, LoadedLayout, find_layouts, load_layout, resolve_layout
from timeline_pdf.manifest import Manifest, changes, manifest_name, previous_manifest
from timeline_pdf.model import Report
from timeline_pdf.output import Outputs, output_name, write_archive
from timeline_pdf.validate import load_report

DEFAULT_WORKBOOK = Path("inputs/escalation.xlsx")
DEFAULT_LAYOUTS = Path("layouts")
DEFAULT_OUT = Path("output")


@dataclass(frozen=True)
class Options:
    """How to read the workbook and which edition to build: shared by every way of building."""

    strict: bool = False  # warnings stop the build too
    preset: str | None = None  # import a third-party layout (acled, ucdp, timelinejs)
    mapping: Path | None = None  # or a user-written column-mapping file
    edition: Edition | None = None  # one monthly edition
    since_manifest: Path | None = None  # mark changes since this manifest (default: found in out)
    archive: bool = False  # also zip the PDFs with their manifest
    in_memory: str = ""  # the report's name when it was made in memory (a DataFrame): no input file to hash or rebuild from


@dataclass(frozen=True)
class Companion:
    """A file a product links to, written beside it with it (and listed in the manifest)."""

    name: str  # file name, in the product's folder
    data: bytes


@dataclass(frozen=True)
class Rendered:
    """What a product kind's renderer returns: the file's bytes and what to tell about it."""

    data: bytes
    pages: int | None = None  # None for a product that has no pages (a web page)
    notes: tuple[str, ...] = ()  # what the reader should know, e.g. content left out to fit
    companions: tuple[Companion, ...] = ()  # further files, written beside it


@dataclass(frozen=True)
class Product:
    """One product rendered in memory, not yet written."""

    layout: str  # the layout's name
    path: Path  # where it goes
    data: bytes
    pages: int | None
    findings: tuple[Finding, ...] = ()  # about this product: what the layout asked that the data lacks, what was left out
    seconds: float = 0.0
    kind: str = ""  # its product kind: timeline, brief, page
    companions: tuple[Companion, ...] = ()

    @property
    def size(self) -> int:
        return len(self.data)

    def files(self) -> list[tuple[Path, bytes]]:
        """Every file the product writes: itself, then its companions."""
        return [(self.path, self.data)] + [(self.path.parent / c.name, c.data) for c in self.companions]


@dataclass(frozen=True)
class Context:
    """What a renderer knows of the rest of its build."""

    paths: Mapping[str, Path]  # where every product of the build goes, by layout name
    manifest: Path | None = None  # where the build's manifest goes
    products: tuple[Product, ...] = ()  # for a kind that carries the others: them, rendered, in layout order


def _render_pdf(report: Report, layout: LoadedLayout, _context: Context) -> Rendered:
    from timeline_pdf.fonts import document_fonts

    fonts = document_fonts(layout)
    if layout.spec.product == "brief":
        from timeline_pdf.render.brief import render_brief as render
    else:
        from timeline_pdf.render.timeline import render_timeline as render
    made = render(report, layout, fonts)
    return Rendered(made.data, made.pages, made.notes)


def _render_page(report: Report, layout: LoadedLayout, context: Context) -> Rendered:
    from timeline_pdf.web.page import render_page

    return render_page(report, layout, context)


# product kind -> its renderer, given the report, the product's layout and what it knows of the
# rest of the build (where every product goes; the page is also given the PDFs). A new kind is
# one more entry.
Renderer = Callable[[Report, LoadedLayout, Context], Rendered]


@dataclass(frozen=True)
class ProductKind:
    render: Renderer
    carries: bool = False  # rendered after the build's other products, and given them


PRODUCTS: dict[str, ProductKind] = {
    "timeline": ProductKind(_render_pdf),
    "brief": ProductKind(_render_pdf),
    "page": ProductKind(_render_page, carries=True),
}


def render(report: Report, layout: LoadedLayout, context: Context | None = None) -> Rendered:
    """The bytes of the product ``layout`` names, from ``report``: nothing checked, nothing written."""
    return PRODUCTS[layout.spec.product].render(report, layout, context or Context({}))


def build_files(products: Iterable[Product]) -> dict[Path, bytes]:
    """Every file the products write, each once. Two products may write one file (two pages
    sharing a thumbnail) only with the same bytes; otherwise neither could be verified."""
    files: dict[Path, bytes] = {}
    owners: dict[Path, str] = {}
    for product in products:
        for path, data in product.files():
            if path in files and files[path] != data:
                raise TimelinePdfError(f"{product.layout} and {owners[path]} both write {path.name}, differently", "give one of their layouts another output name")
            files[path] = data
            owners.setdefault(path, product.layout)
    return files


@dataclass(frozen=True)
class Failure:
    """A product that could not be rendered, with its error (a ``TimelinePdfError`` for a
    problem the user can fix; anything else is a bug, shown with its traceback under --debug)."""

    layout: str
    error: BaseException



@dataclass
class BuildResult:
    built: list[Product]
    findings: list[Finding]
    manifest: Path | None = None
    archive: Path | None = None
    failed: list[Failure] = field(default_factory=list)  # with --all


@dataclass(frozen=True)
class Plan:
    """A build's inputs, read once: the layouts and the report as this build sees it."""

    workbook: Path
    out: Path
    options: Options
    layouts: tuple[LoadedLayout, ...]
    report: Report
    findings: tuple[Finding, ...]  # the workbook's
    previous: Path | None  # the manifest changes are marked since

    @cached_property
    def paths(self) -> dict[str, Path]:
        """Where each product of the build goes, by layout name."""
        return {layout.name: self.out / output_name(layout, self.workbook, self.report) for layout in self.layouts}

    def order(self, product: Product) -> int:
        """Where a product's layout comes in the build (a sort key: the page is rendered last)."""
        return next(index for index, layout in enumerate(self.layouts) if layout.name == product.layout)

    def manifest(self) -> Path:
        """Where the build's manifest goes."""
        return self.out / manifest_name(self.workbook, self.report.edition)


def layouts_folder(folder: Path) -> Path:
    """The project's layouts folder, or the layouts that ship with the package when the
    default folder does not exist."""
    return SHIPPED_LAYOUTS if folder == DEFAULT_LAYOUTS and not folder.is_dir() else folder


def load_layouts(names: Iterable[str], folder: Path = DEFAULT_LAYOUTS) -> list[LoadedLayout]:
    """The named layouts, or every product layout in the folder. An editor hears of every
    layout's problems at once, each once (a mistake in a shared base is one problem)."""
    folder = layouts_folder(folder)
    names = list(names)
    problems: list[Finding] = []
    paths: list[Path] = []
    for name in names:
        try:
            paths.append(resolve_layout(name, folder))
        except LayoutError as error:
            problems.extend(error.findings)
    layouts: list[LoadedLayout] = []
    for path in paths if names else find_layouts(folder):
        try:
            layout = load_layout(path)
        except LayoutError as error:
            problems.extend(error.findings)
            continue
        if layout.spec.product is None:
            problems.append(layout_problem(layout.path, "product", "this layout sets no product, so it cannot be built", f"set product = one of {', '.join(repr(k) for k in PRODUCTS)}"))
        layouts.append(layout)
    if problems:
        problems = list(dict.fromkeys(problems))
        raise LayoutError(problems[0].file, problems)
    return layouts


def prepare(workbook: Path, layout_names: Iterable[str] = (), out: Path = DEFAULT_OUT, folder: Path = DEFAULT_LAYOUTS, options: Options = Options(),
            loaded: tuple[Report, list[Finding]] | None = None, on_stage: Callable[[str], None] = lambda _stage: None) -> Plan:
    """Read the layouts and the workbook (or take ``loaded``, the workbook read earlier) and cut
    the report to the edition, with changes marked since the previous manifest (given, or the
    latest earlier edition's in the output folder)."""
    on_stage("Reading layouts")
    layouts = load_layouts(layout_names, folder)
    on_stage(f"Reading {workbook.name}")
    report, findings = loaded or load_report(workbook, strict=options.strict, preset=options.preset, mapping=options.mapping)
    if options.edition is not None:
        report = apply_edition(report, options.edition)
    previous = options.since_manifest or previous_manifest(out, workbook.stem, report.edition)
    if previous is not None:
        marks = changes(Manifest.read(previous), report.events)
        report = replace(report, marks=tuple(sorted(marks.items())), added_since_last=sum(m == "new" for m in marks.values()))
    plan = Plan(workbook, out, options, tuple(layouts), report, tuple(findings), previous)
    _one_file_each(plan)
    return plan


def _one_file_each(plan: Plan) -> None:
    """Two layouts whose ``output`` gives the same file name would write one over the other."""
    by_path: dict[Path, list[LoadedLayout]] = {}
    for layout in plan.layouts:
        by_path.setdefault(plan.paths[layout.name], []).append(layout)
    problems = [layout_problem(layout.origin("output"), "output", f"layouts {', '.join(repr(l.name) for l in same)} would all write {path.name}",
                               "give each layout its own output name, e.g. output = \"{stem}-{layout}.pdf\"", code="layout-output-shared")
                for path, same in by_path.items() if len(same) > 1 for layout in same[1:]]
    if problems:
        raise LayoutError(str(problems[0].file), problems)


def render_product(plan: Plan, layout: LoadedLayout, others: tuple[Product, ...] = ()) -> Product:
    """One product, in memory; raises ``TimelinePdfError`` for a problem the user can fix
    (with --strict, also for a warning about the product). ``others`` are the products a kind
    that carries them is given."""
    from timeline_pdf.fallbacks import layout_findings
    from timeline_pdf.render.markup import no_remote_resources

    started = time.perf_counter()
    findings = layout_findings(layout, plan.report)
    if any(f.severity == "error" for f in findings):
        raise LayoutError(str(layout.path), [f for f in findings if f.severity == "error"])
    with no_remote_resources():
        made = render(plan.report, layout, Context(plan.paths, plan.manifest(), others))
    findings += [Finding("warning", note, "raise brief.max_pages or shorten the summary to keep everything", file=str(layout.path), code="content-left-out", key="brief.max_pages")
                 for note in made.notes]
    if plan.options.strict and any(f.severity == "warning" for f in findings):
        raise WorkbookError(findings, strict=True)
    return Product(layout.name, plan.paths[layout.name], made.data, made.pages, tuple(findings), time.perf_counter() - started, layout.spec.product, made.companions)


def render_products(plan: Plan, layouts: Iterable[LoadedLayout] | None = None, pool: Executor | None = None, ready: Iterable[Product] = (),
                    starting: Callable[[LoadedLayout], None] = lambda _layout: None) -> Iterator[Product | Failure]:
    """Every product of the plan (or of ``layouts``), each as it is done: one after another in
    this process, or in ``pool``'s processes. A product that fails is a ``Failure``, so the
    others go on; the caller decides what a failure means. Kinds that carry the others come
    last, given every other product rendered (and those ``ready`` from before, as a watch
    session keeps them). ``starting`` hears of each product as its rendering starts here."""
    chosen = list(plan.layouts if layouts is None else layouts)
    first = [layout for layout in chosen if not PRODUCTS[layout.spec.product].carries]
    later = [layout for layout in chosen if PRODUCTS[layout.spec.product].carries]
    done = [product for product in ready if not PRODUCTS[product.kind].carries]
    for outcome in _rendered(plan, [(layout, ()) for layout in first], pool, starting):
        if isinstance(outcome, Product):
            done.append(outcome)
        yield outcome
    others = tuple(sorted(done, key=plan.order))
    yield from _rendered(plan, [(layout, others) for layout in later], pool, starting)


def _rendered(plan: Plan, jobs: list[tuple[LoadedLayout, tuple[Product, ...]]], pool: Executor | None, starting: Callable[[LoadedLayout], None]) -> Iterator[Product | Failure]:
    if pool is None:
        for layout, others in jobs:
            starting(layout)
            try:
                yield render_product(plan, layout, others)
            except Exception as error:  # the caller decides: build stops at once, --all goes on
                yield Failure(layout.name, error)
        return
    from concurrent.futures import as_completed

    futures = {pool.submit(render_product, plan, layout, others): layout for layout, others in jobs}
    for job in as_completed(futures):
        try:
            yield job.result()
        except Exception as error:  # a worker's error, with its own traceback as the cause
            yield Failure(futures[job].name, error)


def product_findings(products: Iterable[Product]) -> list[Finding]:
    """The products' findings, each once (products sharing a base layout share its findings)."""
    return list(dict.fromkeys(f for product in products for f in product.findings))


def stage(plan: Plan, products: list[Product], outputs: Outputs, write_products: bool = True) -> tuple[Path, Path | None]:
    """Stage the products and their companions (unless already written) and the manifest of
    all of them in ``outputs``, and the archive when asked for; (manifest, archive)."""
    from timeline_pdf.manifest import write_manifest

    files = build_files(products)
    if write_products:
        for path, data in files.items():
            outputs.add(path, data)
    built = {product.layout for product in products}
    manifest = write_manifest(plan, [layout for layout in plan.layouts if layout.name in built], products, outputs)
    archive = None
    if plan.options.archive:
        archive = write_archive(plan.out / f"{manifest.name.removesuffix('.manifest.json')}.zip", [*files, manifest], outputs)
    return manifest, archive


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
    fields. Every product is rendered before any file is written, and then all are written
    together; the first failure stops the build. ``on_stage`` hears which stage is running.
    ``loaded`` is a report already validated (with its findings), built instead of reading
    ``workbook`` (the Python API's reports, which may come from a DataFrame)."""
    plan = prepare(workbook, layout_names, out, layouts_folder, Options(**options), loaded=loaded, on_stage=on_stage)
    products = []
    for made in render_products(plan, starting=lambda layout: on_stage(f"Rendering {layout.name} ({len(plan.report.events):,} events)")):
        if isinstance(made, Failure):
            if isinstance(made.error, WorkbookError) and made.error.strict:  # a product's warning under --strict: every finding at once
                raise WorkbookError([*plan.findings, *made.error.findings], strict=True)
            raise made.error
        products.append(made)
    products.sort(key=plan.order)
    on_stage("Writing files")
    with Outputs() as outputs:
        manifest, archive = stage(plan, products, outputs)
        outputs.commit()
    return BuildResult(products, [*plan.findings, *product_findings(products)], manifest, archive)


def build_all(
    workbook: Path,
    out: Path,
    layouts_folder: Path = DEFAULT_LAYOUTS,
    *,
    layout_names: tuple[str, ...] = (),
    on_start: Callable[[list[str]], None] = lambda _names: None,
    on_done: Callable[[Product | Failure], None] = lambda _outcome: None,
    **options,
) -> BuildResult:
    """Every product in its own process: one failing leaves the others' files alone.

    Workers render; this process writes each product as it arrives (atomically, with its
    companions), so an interrupt stops the workers (which hold no file open) and leaves every
    file whole. The page, which links to the PDFs, is rendered once they are done. The
    manifest follows, of the products built. ``on_start`` hears the products to come,
    ``on_done`` each outcome.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    plan = prepare(workbook, layout_names, out, layouts_folder, Options(**options))
    on_start([layout.name for layout in plan.layouts])
    result = BuildResult([], list(plan.findings))
    pool = ProcessPoolExecutor(max_workers=max(1, min(len(plan.layouts), os.cpu_count() or 1)), initializer=_worker_signals)
    try:
        for outcome in render_products(plan, pool=pool):
            if isinstance(outcome, Product):
                try:
                    build_files([*result.built, outcome])  # a file another product wrote is not overwritten differently
                    with Outputs() as outputs:  # the product and its companions together
                        for path, data in outcome.files():
                            outputs.add(path, data)
                        outputs.commit()
                except TimelinePdfError as error:
                    outcome = Failure(outcome.layout, error)
            if isinstance(outcome, Failure):
                result.failed.append(outcome)
            else:
                result.built.append(outcome)
            on_done(outcome)
    except BaseException:  # Ctrl-C, SIGTERM: stop the workers rather than wait for them
        pool.shutdown(wait=False, cancel_futures=True)
        for child in multiprocessing.active_children():
            child.terminate()
        raise
    finally:
        pool.shutdown(wait=True)
    result.built.sort(key=plan.order)
    result.findings += product_findings(result.built)
    if result.built:
        with Outputs() as outputs:
            result.manifest, result.archive = stage(replace(plan, options=replace(plan.options, archive=plan.options.archive and not result.failed)), result.built, outputs, write_products=False)
            outputs.commit()
    return result


def _worker_signals() -> None:
    """Workers write nothing, so they may simply stop: on SIGTERM at once; Ctrl-C reaches the
    whole process group, and the main process stops them."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
