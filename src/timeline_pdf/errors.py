"""Errors and findings that reach users.

Every problem a user can fix is a ``TimelinePdfError`` carrying where it is and what to do;
the CLI prints it without a traceback. Workbook checks collect ``Finding`` objects so that an
analyst sees every mistake at once rather than one per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]
# error: stops the build; warning: reported, and stops the build only with --strict;
# note: information (e.g. how an import preset mapped a column), never stops anything.


@dataclass(frozen=True)
class Finding:
    """One problem found in the workbook, located as precisely as we can."""

    severity: Severity
    message: str
    hint: str = ""
    file: str = ""
    sheet: str = ""
    cell: str = ""  # Excel reference such as "A14"; empty for a whole-sheet finding
    column: str = ""
    value: str = ""
    code: str = ""  # stable identifier of the rule, e.g. "date-ambiguous", for tools reading --format json

    @property
    def ref(self) -> str:
        """The cell as Excel names it across sheets, e.g. ``Events!A14``."""
        if not self.sheet:
            return ""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict[str, str]:
        """The finding as plain data, for ``--format json``."""
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "ref": self.ref,
            "column": self.column,
            "value": self.value,
        }

    @property
    def location(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        return ": ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: " if self.location else f"{self.severity}: "
        text += self.message
        if self.column:
            text += f" (column '{self.column}'"
            text += f", value {self.value!r})" if self.value else ")"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class TimelinePdfError(Exception):
    """A problem the user can fix; printed as a message, never as a traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n    fix: {self.hint}" if self.hint else self.message


class WorkbookError(TimelinePdfError):
    """The workbook cannot be used; carries every finding, errors and warnings.

    With ``strict`` the warnings count as errors (``--strict``): the message says so.
    """

    def __init__(self, findings: list[Finding] | tuple[Finding, ...], strict: bool = False) -> None:
        self.findings = tuple(findings)
        self.strict = strict
        errors = [f for f in self.findings if f.severity == "error"]
        warnings = [f for f in self.findings if f.severity == "warning"]
        if strict and warnings:
            message = f"{len(errors)} error(s) and {len(warnings)} warning(s) in the workbook; with --strict warnings count as errors, so nothing was built."
        else:
            message = f"{len(errors)} error(s) in the workbook; nothing was built."
        super().__init__(message)

    def __str__(self) -> str:
        lines = [str(f) for f in self.findings]
        lines.append(self.message)
        return "\n".join(lines)


class LayoutError(TimelinePdfError):
    """A layout file is invalid; lists every problem with its key path."""

    def __init__(self, file: str, problems: list[tuple[str, str]] | list[tuple[str, str, str]]) -> None:
        self.file = file
        # each problem is (file, key path, message); a pair means the problem is in ``file``
        self.problems = tuple(p if len(p) == 3 else (file, *p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in layout {file}.")

    def __str__(self) -> str:
        return "\n".join(f"{f}: {key}: {msg}" if key else f"{f}: {msg}" for f, key, msg in self.problems)


class MappingError(TimelinePdfError):
    """A column-mapping file (or ``--preset`` name) is invalid; lists every problem with its key."""

    def __init__(self, file: str, problems: list[tuple[str, str]]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__(f"{len(problems)} problem(s) in the column mapping {file}.")

    def __str__(self) -> str:
        return "\n".join(f"{self.file}: {key}: {msg}" if key else f"{self.file}: {msg}" for key, msg in self.problems)
