"""Rebuild the products whenever the workbook, its summary or a layout in the chain changes.

The loaded workbook is kept while neither it nor its summary changed, so a layout edit only
re-renders, and only the products whose layout chain changed: the others' PDFs are kept as they
are. Charts whose data and look did not change are reused too (``timeline_pdf.charts.cache``). A failed rebuild prints its error and leaves the last good PDFs in place (output is
written atomically, and only after every product rendered).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from timeline_pdf.build import Built, load_layouts, render
from timeline_pdf.errors import Finding, TimelinePdfError
from timeline_pdf.model import Report
from timeline_pdf.output import output_name, write_atomic
from timeline_pdf.validate import load_report


@dataclass
class Rebuild:
    built: list[Built]
    findings: list[Finding]
    seconds: float
    reused_workbook: bool


@dataclass
class WatchSession:
    """One workbook and its layouts, rebuilt on demand with whatever did not change reused."""

    workbook: Path
    layout_names: tuple[str, ...]
    out: Path
    layouts_folder: Path
    _stamp: tuple = ()
    _report: tuple[Report, list[Finding]] | None = None
    _layout_files: set[Path] = field(default_factory=set)
    _products: dict[Path, tuple[tuple, Report, Built]] = field(default_factory=dict)  # layout -> (chain stamps, report, what was written)

    def summary_path(self) -> Path:
        return self.workbook.with_suffix(".md")

    def watched(self) -> set[Path]:
        """Files whose change triggers a rebuild."""
        return {self.workbook.resolve(), self.summary_path().resolve(), *self._layout_files}

    def rebuild(self) -> Rebuild:
        started = time.perf_counter()
        layouts = load_layouts(self.layout_names, self.layouts_folder)
        self._layout_files = {p.resolve() for layout in layouts for p in layout.chain} | {p.resolve() for p in self.layouts_folder.glob("*.toml")}
        stamp = tuple(_stamp(p) for p in (self.workbook, self.summary_path()))
        reused = self._report is not None and stamp == self._stamp
        if not reused:
            self._report = None  # a failed load must not leave the old data looking current
            self._report = load_report(self.workbook)
            self._stamp = stamp
        report, findings = self._report
        built = []
        rendered = []
        for layout in layouts:
            chain = tuple(_stamp(p) for p in (*layout.chain, *([Path(layout.spec.logo.file)] if layout.spec.logo.file else [])))
            kept = self._products.get(layout.path)
            if kept is not None and kept[0] == chain and kept[1] is report and _stamp(kept[2].path) is not None:
                built.append(kept[2])  # same layout files, same data: the PDF on disk is current
                continue
            rendered.append((layout, chain, render(report, layout)))
        for layout, chain, product in rendered:  # written only once every product rendered
            path = self.out / output_name(layout, self.workbook)
            write_atomic(path, product.data)
            item = Built(layout.name, path, len(product.data), product.pages)
            self._products[layout.path] = (chain, report, item)
            built.append(item)
        order = {layout.name: i for i, layout in enumerate(layouts)}
        built.sort(key=lambda b: order[b.layout])
        return Rebuild(built, list(findings), time.perf_counter() - started, reused)


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

    folders = {p.parent for p in session.watched()} | {session.layouts_folder.resolve()}
    for changes in watch_files(*folders, stop_event=None, yield_on_timeout=stop is not None, rust_timeout=500 if stop else 5_000, debounce=200):
        if stop is not None and stop():
            return
        yield {Path(path).resolve() for _kind, path in changes}
