"""Rebuild the products whenever the workbook, its summary or a layout in the chain changes.

A rebuild is a build (``build.prepare``, ``build.render_products``, ``build.stage``) that reuses
what did not change: the loaded workbook while neither it nor its summary changed, so a layout
edit only re-renders; and the products whose layout chain did not change, which are kept in
memory and not written again (the publication page is rendered again whenever a PDF it links to
was). Charts whose data and look did not change are reused too
(``timeline_pdf.charts.cache``). A failed rebuild prints its error and leaves the last good files
in place (output is written atomically, and only after every product rendered).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from timeline_pdf.build import DEFAULT_LAYOUTS, PRODUCTS, Failure, Options, Product, layouts_folder, prepare, product_findings, render_products, stage
from timeline_pdf.errors import Finding, TimelinePdfError
from timeline_pdf.model import Report
from timeline_pdf.output import Outputs
from timeline_pdf.validate import load_report


@dataclass
class Rebuild:
    built: list[Product]
    findings: list[Finding]
    seconds: float
    reused_workbook: bool


@dataclass
class WatchSession:
    """One workbook and its layouts, rebuilt on demand with whatever did not change reused."""

    workbook: Path
    layout_names: tuple[str, ...]
    out: Path
    layouts_folder: Path = DEFAULT_LAYOUTS
    options: Options = field(default_factory=Options)
    _stamp: tuple = ()
    _loaded: tuple[Report, list[Finding]] | None = None
    _layout_files: set[Path] = field(default_factory=set)
    _products: dict[Path, tuple[tuple, Report, Product]] = field(default_factory=dict)  # layout -> (chain stamps, report, product)

    def summary_path(self) -> Path:
        return self.workbook.with_suffix(".md")

    def folder(self) -> Path:
        """The layouts folder in use: the shipped layouts when the project has none."""
        return layouts_folder(self.layouts_folder)

    def inputs(self) -> list[Path]:
        """The files the report is read from: the workbook, its summary and the mapping file."""
        return [self.workbook, self.summary_path(), *([self.options.mapping] if self.options.mapping else [])]

    def watched(self) -> set[Path]:
        """Files whose change triggers a rebuild."""
        return {p.resolve() for p in self.inputs()} | self._layout_files

    def rebuild(self) -> Rebuild:
        started = time.perf_counter()
        stamp = tuple(_stamp(p) for p in self.inputs())
        reused = self._loaded is not None and stamp == self._stamp
        if not reused:
            self._loaded = None  # a failed load must not leave the old data looking current
            self._loaded = load_report(self.workbook, strict=self.options.strict, preset=self.options.preset, mapping=self.options.mapping)
            self._stamp = stamp
        plan = prepare(self.workbook, self.layout_names, self.out, self.layouts_folder, self.options, loaded=self._loaded)
        self._layout_files = {p.resolve() for layout in plan.layouts for p in layout.chain} | {p.resolve() for p in self.folder().glob("*.toml")}
        chains = {layout.name: _chain_stamps(layout) for layout in plan.layouts}
        current: dict[str, tuple[Product, bool]] = {}  # layout name -> (product, rendered now)
        for layout in plan.layouts:
            kept = self._products.get(layout.path)
            if kept is not None and kept[0] == chains[layout.name] and kept[1] == plan.report and all(_stamp(path) is not None for path, _data in kept[2].files()):
                current[layout.name] = (kept[2], False)  # same layout files, same data: the files on disk are current
        if any(layout.name not in current for layout in plan.layouts if not PRODUCTS[layout.spec.product].carries):
            for layout in plan.layouts:  # a page links to the PDFs and tells their pages and size: redone with any of them
                if PRODUCTS[layout.spec.product].carries:
                    current.pop(layout.name, None)
        kept_products = [product for product, _rendered in current.values()]
        for made in render_products(plan, [layout for layout in plan.layouts if layout.name not in current], ready=kept_products):
            if isinstance(made, Failure):
                raise made.error
            current[made.layout] = (made, True)
        products = [current[layout.name][0] for layout in plan.layouts]
        with Outputs() as outputs:  # written only once every product rendered, with their manifest
            for product, rendered in current.values():
                if rendered:
                    for path, data in product.files():
                        outputs.add(path, data)
            manifest, _archive = stage(plan, products, outputs, write_products=False)
            outputs.commit()
        for layout in plan.layouts:
            self._products[layout.path] = (chains[layout.name], plan.report, current[layout.name][0])
        findings = [*plan.findings, *product_findings(products)]
        return Rebuild(products, findings, time.perf_counter() - started, reused)


def _chain_stamps(layout) -> tuple:
    """When each file of a layout's chain (and its logo) last changed."""
    return tuple(_stamp(p) for p in (*layout.chain, *([Path(layout.spec.logo.file)] if layout.spec.logo.file else [])))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def watch(session: WatchSession, report: Callable[[Rebuild | TimelinePdfError], None], stop: Callable[[], bool] | None = None) -> None:
    """Build once, then after every relevant change, until interrupted (or ``stop()`` is true)."""
    report(_attempt(session))
    for changed in _changes(session, stop):
        if changed & session.watched():
            report(_attempt(session))


def _attempt(session: WatchSession) -> Rebuild | TimelinePdfError:
    try:
        return session.rebuild()
    except TimelinePdfError as error:
        return error


def _changes(session: WatchSession, stop: Callable[[], bool] | None) -> Iterator[set[Path]]:
    from watchfiles import watch as watch_files

    folders = {p.parent for p in session.watched() if p.parent.is_dir()} | {session.folder().resolve()}
    for changes in watch_files(*folders, stop_event=None, yield_on_timeout=stop is not None, rust_timeout=500 if stop else 5_000, debounce=200):
        if stop is not None and stop():
            return
        yield {Path(path).resolve() for _kind, path in changes}
