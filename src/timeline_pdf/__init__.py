"""timeline-pdf: escalation timelines and briefs from an analyst's events workbook.

The Python API (see "Working in Python" in the README)::

    import timeline_pdf as tp

    report = tp.load("inputs/escalation.xlsx")   # validated; raises tp.WorkbookError (.findings)
    frame = tp.events_frame(report)              # a pandas DataFrame, one row per included event
    tp.figures(report, since="2020-01-03", group="US")
    tp.build(tp.from_frame(frame, like=report), layouts=["brief"])

Everything else in the package is private. The API is imported on first use, so ``import
timeline_pdf`` (and the command line) stays quick.
"""

from __future__ import annotations

import sys
import types

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (type checkers read it so), without importing typing in every process

__version__ = "0.1.0"
__all__ = ["LayoutError", "Report", "TimelinePdfError", "WorkbookError", "build", "events_frame", "figures", "from_frame", "load"]

if TYPE_CHECKING:
    from typing import Any

    from timeline_pdf.api import Report, build, events_frame, figures, from_frame, load
    from timeline_pdf.errors import LayoutError, TimelinePdfError, WorkbookError

_HOMES = {"LayoutError": "errors", "TimelinePdfError": "errors", "WorkbookError": "errors", "build": "build"}


def __getattr__(name: str) -> Any:
    """The public names, imported when first used (PEP 562)."""
    if name not in __all__:
        raise AttributeError(f"module 'timeline_pdf' has no attribute {name!r}")
    from importlib import import_module

    home = import_module(f"timeline_pdf.{_HOMES.get(name, 'api')}")
    value = home if name == "build" else getattr(home, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


class _BuildModule(types.ModuleType):
    """``timeline_pdf.build`` names both the build module and the API's ``build`` function.
    Python sets a package's attribute to each submodule it imports, so the attribute is the
    module (as ``import timeline_pdf.build as m`` and patching expect); the module is made
    callable, and calling it is the API's ``build``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from timeline_pdf.api import build

        return build(*args, **kwargs)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name == "build" and type(value) is types.ModuleType:  # the build module, just imported
            import inspect

            from timeline_pdf.api import build

            value.__class__ = _BuildModule
            value.__signature__ = inspect.signature(build)  # type: ignore[attr-defined]
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
