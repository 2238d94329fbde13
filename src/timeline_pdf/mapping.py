"""Column-mapping files: their schema, validated with pydantic like the layouts.

A mapping says which columns of another tool's file fill which column of the workbook contract
(see the README, "Column-mapping files"); the built-in presets are written in the same form.
Every problem is reported at once as a finding naming the file and the key, with a fix.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag, ValidationError

from timeline_pdf.contract import CASUALTY_HEADER, COLUMN_BY_FIELD, FIELDS, REQUIRED, normalise, tidy_value
from timeline_pdf.dates import format_problem
from timeline_pdf.errors import Finding, MappingError, did_you_mean, key_help, mapping_problem, schema_hint
from timeline_pdf.model import Kind

SPEC_HINT = 'give a column name ("event_date"), a template ("Source: {source}"), a list of them (joined), { first = [...] } or { year = "...", month = "...", day = "..." }'
Scalar = str | int | float


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _spec_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "column"
    if isinstance(value, list):
        return "joined"
    if isinstance(value, dict):
        return "first" if "first" in value else "date"
    return None


ColumnName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]  # or a template; an empty one names no column
Joined = Annotated[list[ColumnName], Field(min_length=1)]  # several columns or templates, joined; blanks left out


def _item_kind(value: Any) -> str | None:
    return "column" if isinstance(value, str) else "joined" if isinstance(value, list) else None


FirstItem = Annotated[
    Annotated[ColumnName, Tag("column")] | Annotated[Joined, Tag("joined")],
    Discriminator(_item_kind, custom_error_type="column_spec", custom_error_message="not a column name or a list"),
]


class First(_Strict):
    first: list[FirstItem] = Field(min_length=1, description="The first of these that is not blank.")


class DateParts(_Strict):
    year: ColumnName = Field(description="The column holding the year.")
    month: ColumnName | None = Field(None, description="The column holding the month (may be blank).")
    day: ColumnName | None = Field(None, description="The column holding the day (may be blank).")


ColumnSpec = Annotated[
    Annotated[ColumnName, Tag("column")] | Annotated[Joined, Tag("joined")] | Annotated[First, Tag("first")] | Annotated[DateParts, Tag("date")],
    Discriminator(_spec_kind, custom_error_type="column_spec", custom_error_message="not a column name, a list or a table"),
]


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, (str, int, float)) else value


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class Rows(_Strict):
    skip: dict[str, Annotated[list[Scalar], BeforeValidator(_listed)]] = Field(default_factory=dict, description='Rows that are not events, by a column\'s values: { Type = ["era"] }.')
    title: dict[str, Annotated[list[Scalar], BeforeValidator(_listed)]] = Field(default_factory=dict, description='The row giving the Report\'s Title and Subtitle: { Type = ["title"] }.')
    approximate: dict[str, Annotated[list[Scalar], BeforeValidator(_listed)]] = Field(
        default_factory=dict, description="Rows whose date the file itself marks as approximate, by a column's values: { time_precision = [2, 3] }. A note says how many.")


class MappingFile(_Strict):
    """A column-mapping file as written."""

    name: str = Field("", description="The name shown in messages.")
    notes: Annotated[list[str], BeforeValidator(_listed)] = Field(default_factory=list, description="Told to the analyst as notes.")
    date_order: Literal["dmy", "mdy"] | None = Field(None, description='How to read 11/03/2020: "dmy" (11 March) or "mdy" (November 3).')
    date_format: Annotated[list[str], BeforeValidator(_listed)] = Field(default_factory=list, description='The file\'s own date format, or a list of them, as for Python\'s strptime: "%d-%b-%y" reads 09-May-20.')
    html: list[str] = Field(default_factory=list, description='Source columns holding HTML, such as ["Text"]: made plain text, their links become Sources.')
    columns: dict[str, ColumnSpec] = Field(min_length=1, description='Workbook column = where its value comes from, such as Date = "event_date".')
    defaults: dict[str, Scalar] = Field(default_factory=dict, description="The value of a workbook column when its mapped cells are blank.")
    values: dict[str, dict[str, Scalar]] = Field(default_factory=dict, description='Codes replaced by names, per workbook column: [values.Category] "1" = "State-based conflict".')
    categories: dict[str, Annotated[Kind, BeforeValidator(_lower)]] = Field(default_factory=dict, description="The Kind of each category (attack, response, political, other), when the file has no Categories sheet.")
    rows: Rows = Field(default_factory=Rows, description="Rows that are not events, and the row holding the title.")


@dataclass(frozen=True)
class Mapping:
    """A validated column mapping: contract column -> how to fill it from the source row."""

    name: str
    file: str
    columns: dict[str, Any]  # contract header -> spec: a column name or template, a list, {first = [...]} or {year, month, day}
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # contract header -> {source value: value}
    categories: dict[str, str] = field(default_factory=dict)
    html: frozenset[str] = frozenset()  # normalised source columns holding HTML
    skip: dict[str, set[str]] = field(default_factory=dict)  # normalised source column -> values marking rows that are not events
    title: dict[str, set[str]] = field(default_factory=dict)  # ... -> values marking the row that holds the title
    approximate: dict[str, set[str]] = field(default_factory=dict)  # ... -> values marking a row whose date is approximate
    date_order: str | None = None
    notes: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = ()  # strptime formats of the source's dates, tried before the usual forms

    def source_columns(self) -> set[str]:
        """Every source column the mapping reads, normalised."""
        names = {name for spec in self.columns.values() for name in names_in(spec)}
        return names | set(self.skip) | set(self.title) | set(self.approximate)

    def required_sources(self) -> set[str]:
        """The source columns Date, Category and Description are read from (unless they have a
        default), normalised: a file without them is not in this layout."""
        return set().union(*(names_in(s) for t, s in self.columns.items() if FIELDS.get(normalise(t)) in REQUIRED and t not in self.defaults))


def parse_mapping(data: dict[str, Any], file: str) -> Mapping:
    """Check a mapping's keys and specs, reporting every problem with its key path."""
    try:
        parsed = MappingFile.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(error, file) for error in exc.errors()]
        raise MappingError(file, _checked(data, file, problems)) from None
    problems = _checked(data, file, [])
    if problems:
        raise MappingError(file, problems)
    return Mapping(
        name=parsed.name or file,
        file=file,
        columns=dict(data["columns"]),  # the specs as written: validated above
        # keyed by the column as [columns] writes it, however [defaults] and [values.X] spell it
        defaults={_as_mapped(k, parsed.columns): str(v) for k, v in parsed.defaults.items()},
        values={_as_mapped(target, parsed.columns): {normalise_value(k): str(v) for k, v in table.items()} for target, table in parsed.values.items()},
        categories=dict(parsed.categories),
        html=frozenset(normalise(h) for h in parsed.html),
        skip=_row_rule(parsed.rows.skip),
        title=_row_rule(parsed.rows.title),
        approximate=_row_rule(parsed.rows.approximate),
        date_order=parsed.date_order,
        notes=tuple(parsed.notes),
        date_formats=tuple(parsed.date_format),
    )


def _checked(data: dict[str, Any], file: str, problems: list[Finding]) -> list[Finding]:
    """``problems`` and the rules that need more than one key or more than a type: the workbook
    columns named, the required ones mapped, the templates' braces and the date formats."""
    formats = data.get("date_format", [])
    for form in [formats] if isinstance(formats, str) else formats if isinstance(formats, list) else []:
        if isinstance(form, str) and (problem := format_problem(form)):
            problems.append(mapping_problem(file, "date_format", problem, 'give a format that names a day, a month and a year, such as "%d-%b-%y" (for 09-May-20), or a list of them'))
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        return problems
    mapped = _mapped_names(columns)
    for target, spec in columns.items():
        problems += _column_key_problems(file, "columns", target, mapped)
        for template in strings_in(spec):
            try:
                list(string.Formatter().parse(template))
            except ValueError as exc:
                problems.append(mapping_problem(file, f"columns.{target}", f"'{template}': {exc}", "write a literal brace as {{ or }}"))
    defaults = data.get("defaults") if isinstance(data.get("defaults"), dict) else {}
    for section in ("defaults", "values"):
        table = data.get(section) if isinstance(data.get(section), dict) else {}
        seen = {normalise(k): k for k in reversed(list(table))}  # the first of each column
        for key in table:
            problems += _column_key_problems(file, section, key, mapped, seen)
    given = {FIELDS.get(normalise(t)) for t in [*columns, *defaults]}
    for required in REQUIRED:
        if required not in given:
            name = COLUMN_BY_FIELD[required].name
            problems.append(mapping_problem(file, "columns", f"'{name}' is required", f'map a column to it, such as {name} = "..." under [columns], or give it a value under [defaults]'))
    return problems


def _mapped_names(columns: dict[str, Any]) -> dict[str, str]:
    """Each column [columns] maps, as it writes it, by its name as matched (case, spaces and
    punctuation ignored); the first of two spellings of one column."""
    return {normalise(k): k for k in reversed(list(columns))}


def _as_mapped(key: str, columns: dict[str, Any]) -> str:
    """A [defaults] or [values.X] key as the [columns] key of the same column, if there is one."""
    return _mapped_names(columns).get(normalise(key), key)


def _column_key_problems(file: str, section: str, key: str, mapped: dict[str, str], seen: dict[str, str] | None = None) -> list[Finding]:
    """A key of [columns], [defaults] or [values] that is no column of the workbook (with the
    nearest), names a column a second time, or (in [values]) a column nothing maps."""
    path = f"{section}.{key}"
    if normalise(key) not in FIELDS and not CASUALTY_HEADER.match(key):
        near = did_you_mean(key, [c.name for c in COLUMN_BY_FIELD.values()], "the columns are")
        return [mapping_problem(file, path, f"'{key}' is not a column of the workbook", f"{near} (and any '<Group> Killed' or '<Group> Wounded')")]
    first = (seen or mapped).get(normalise(key), key)
    if first != key:
        shown = mapped.get(normalise(key), first)
        where = "[values] tables into one" if section == "values" else f"lines of [{section}] into one"
        return [mapping_problem(file, path, f"'{key}' is the column '{shown}' again", f"names are matched ignoring case, spaces and punctuation: merge the two {where}")]
    if section == "values" and normalise(key) not in mapped:
        return [mapping_problem(file, path, f"[values.{key}] replaces values of '{key}', which no [columns] line maps", f'map it under [columns], such as {key} = "...", or remove the table')]
    return []


def _describe(error: Any, file: str) -> Finding:
    loc, tables = _key_path(error["loc"])
    key = ".".join(loc)
    if error["type"] == "extra_forbidden":
        model = tables.get(tuple(loc[:-1]))
        options = list(model.model_fields) if model else []
        return mapping_problem(file, key, f"unknown key '{loc[-1]}'", did_you_mean(loc[-1], options, "the keys here are"))
    if error["type"] == "column_spec":
        return mapping_problem(file, key, f"{error['input']!r} is {error['msg']}", SPEC_HINT)
    if error["type"] == "string_too_short" and loc[:1] == ["columns"]:
        return mapping_problem(file, key, "the column name is empty, so it names no column of the file", "write the name of a column of the file (or a template such as \"Source: {source}\"), or remove it")
    if error["type"] == "missing" and key == "columns":
        return mapping_problem(file, key, "a [columns] table is needed", 'add lines such as Date = "event_date" under [columns]')
    message = error["msg"]
    if "input" in error and error["type"] != "missing":
        message += f" (got {error['input']!r})"
    described = key_help(loc, lambda prefix: tables.get(tuple(prefix)))
    return mapping_problem(file, key, message, schema_hint(error, described or (SPEC_HINT if loc[:1] == ["columns"] else "see the README, 'Column-mapping files'")))


SPEC_TABLES: dict[str, type[BaseModel]] = {"first": First, "date": DateParts}  # the specs written as tables, by their tag
SCALAR_TAGS = ("str", "int", "float")


def _key_path(loc: tuple[Any, ...]) -> tuple[list[str], dict[tuple[str, ...], type[BaseModel]]]:
    """An error's key path as the file writes it, without the tags pydantic puts in it for the
    kind of spec or value chosen; and the model whose keys each table on the path holds (the
    file itself, [rows], and a spec written as { first = [...] } or { year, month, day })."""
    parts = [str(part) for part in loc]
    tables: dict[tuple[str, ...], type[BaseModel]] = {(): MappingFile, ("rows",): Rows}
    if parts[:1] == ["columns"] and len(parts) > 2:  # columns, the column, the kind of spec, ...
        kind, rest = parts[2], parts[3:]
        if kind in SPEC_TABLES:
            tables[tuple(parts[:2])] = SPEC_TABLES[kind]
        if kind == "first" and len(rest) > 2:  # first, the item, its kind (a name or a list), ...
            rest = rest[:2] + rest[3:]
        return parts[:2] + rest, tables
    if parts and parts[-1] in SCALAR_TAGS and len(parts) > 1:  # the kind of a scalar tried
        parts = parts[:-1]
    return parts, tables


def _row_rule(rule: dict[str, list[Scalar]]) -> dict[str, set[str]]:
    return {normalise(column): {normalise_value(v) for v in values} for column, values in rule.items()}


def names_in(spec: Any) -> list[str]:
    """The source columns a spec reads, normalised, each once in the order the spec names them
    (a label made of them reads as the mapping does: Year/Month/Day)."""
    names: list[str] = []
    for text in strings_in(spec):
        if "{" in text:
            names += [name for _text, name, _format, _conv in string.Formatter().parse(text) if name is not None]
        else:
            names.append(text)
    return list(dict.fromkeys(normalise(name) for name in names))


def strings_in(spec: Any) -> list[str]:
    """The column names and templates of a spec, as written."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, list):
        return [s for item in spec for s in strings_in(item)]
    if isinstance(spec, dict):
        return [s for item in (spec.get("first") or list(spec.values())) for s in strings_in(item)]
    return []


def normalise_value(value: Any) -> str:
    """A cell or mapping value as compared: whole floats as integers, spaces and case ignored."""
    return " ".join(str(tidy_value(value)).split()).lower()
