"""What a build shows on a terminal: progress by stage, and a summary table.

On a terminal rich draws a spinner and a table; otherwise (a pipe, CI, a log file) the same
facts come out as plain lines, so logs stay readable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from timeline_pdf.build import Failure, Product


def on_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def stages(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A callback that shows the current stage (a spinner on a terminal, nothing otherwise)."""
    if not enabled:
        yield lambda _text: None
        return
    from rich.console import Console

    with Console(stderr=True).status("Starting", spinner="dots") as status:
        yield lambda text: status.update(text)


class ProductProgress:
    """For --all: told the products to come (``start``), then each outcome (``done``)."""

    def __init__(self, rich_progress=None) -> None:
        self.progress, self.task = rich_progress, None

    def start(self, names: list[str]) -> None:
        if self.progress is not None:
            self.task = self.progress.add_task("Building products", total=len(names))

    def done(self, outcome: Product | Failure) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)
            return
        state = f"done in {outcome.seconds:.1f} s" if isinstance(outcome, Product) else "FAILED"
        print(f"{outcome.layout}: {state}", file=sys.stderr, flush=True)


@contextmanager
def product_progress(enabled: bool) -> Iterator[ProductProgress]:
    """A progress bar of finished products on a terminal, or one plain line per product."""
    if not enabled:
        yield ProductProgress()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as progress:
        yield ProductProgress(progress)


def failure_message(failure: Failure) -> str:
    """The first line of what went wrong with a product."""
    from timeline_pdf.errors import TimelinePdfError

    error = failure.error
    if isinstance(error, TimelinePdfError):
        return error.findings[0].message if error.findings else error.message
    return f"internal error: {type(error).__name__}: {error}"


def summary(built: list[Product], failed: list[Failure], rich: bool) -> None:
    """Product, file, pages, size, time: one row per product, failures last."""
    rows = [(b.layout, str(b.path), str(b.pages) if b.pages is not None else "", f"{b.size / 1024:.0f} KB", f"{b.seconds:.1f} s") for b in built]
    rows += [(f.layout, "FAILED: " + failure_message(f), "", "", "") for f in failed]
    if rich:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="Products")
        for heading, justify in (("product", "left"), ("file", "left"), ("pages", "right"), ("size", "right"), ("time", "right")):
            table.add_column(heading, justify=justify)
        for row in rows:
            table.add_row(*row, style="red" if row[1].startswith("FAILED") else None)
        Console().print(table)
        return
    widths = [max(len(r[i]) for r in rows + [("product", "file", "pages", "size", "time")]) for i in range(5)]
    for row in [("product", "file", "pages", "size", "time"), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
