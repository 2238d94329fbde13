"""What a build shows on a terminal: progress by stage, and a summary table.

On a terminal rich draws a spinner and a table; otherwise (a pipe, CI, a log file) the same
facts come out as plain lines, so logs stay readable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from timeline_pdf.build import Built


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


@contextmanager
def product_progress(total: int, enabled: bool) -> Iterator[Callable[[str, Built | str], None]]:
    """For --all: a progress bar of finished products, or one plain line per product."""
    if not enabled:
        def plain(name: str, outcome: Built | str) -> None:
            state = f"done in {outcome.seconds:.1f} s" if isinstance(outcome, Built) else "FAILED"
            print(f"{name}: {state}", file=sys.stderr, flush=True)

        yield plain
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as progress:
        task = progress.add_task("Building products", total=total)
        yield lambda name, outcome: progress.advance(task)


def summary(built: list[Built], failed: list[tuple[str, str]], rich: bool) -> None:
    """Product, file, pages, size, time: one row per product, failures last."""
    rows = [(b.layout, str(b.path), str(b.pages), f"{b.size / 1024:.0f} KB", f"{b.seconds:.1f} s") for b in built]
    rows += [(name, "FAILED: " + message.splitlines()[0], "", "", "") for name, message in failed]
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
