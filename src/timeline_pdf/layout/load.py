"""Load a layout file and the chain it ``extends``, merge them and validate the result.

Every problem is reported at once with the file that set the key and its dotted path, in the
style ``layouts/brief.toml: page.margins.lefft: unknown key; did you mean 'left'?``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from timeline_pdf.errors import LAYOUT_REFERENCE, Finding, LayoutError, did_you_mean, key_help, layout_problem, schema_hint
from timeline_pdf.placeholders import TEXT_PLACEHOLDERS, placeholder_problems
from timeline_pdf.layout.schema import SECTIONS, SHIPPED_FAMILIES, SUFFIXES, FontFiles, Layout, parse_page_size

MAX_CHAIN = 8
SHIPPED_LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"  # a copy of the project's layouts/


@dataclass(frozen=True)
class LoadedLayout:
    name: str  # the file's stem, used in output names
    path: Path
    chain: tuple[Path, ...]  # this file first, then what it extends
    spec: Layout
    origins: dict[str, Path] = field(default_factory=dict, compare=False, repr=False)  # dotted key -> the file that set it

    def origin(self, key: str) -> Path:
        """The file of the chain that set ``key`` (this layout when none did)."""
        return _origin(key, self.origins, self.path)

    def font_path(self, family: FontFiles, style: str) -> Path:
        """Font files are relative to the layout file that named them."""
        return (self.path.parent / getattr(family, style)).resolve()


def find_layouts(folder: Path) -> list[Path]:
    """Every product layout (one that sets ``product``, itself or through ``extends``) in a
    folder, by name. A layout whose files cannot be read is listed too, so that loading it
    reports its problems along with every other layout's."""
    found = []
    for path in sorted(folder.glob("*.toml")):
        try:
            merged, _origins, _chain = _read_chain(path)
        except LayoutError:
            found.append(path)
            continue
        if merged.get("product") is not None:
            found.append(path)
    return found


def resolve_layout(name_or_path: str, folder: Path) -> Path:
    candidate = Path(name_or_path)
    for path in (candidate, folder / candidate, folder / f"{name_or_path}.toml"):
        if path.is_file():
            return path
    known = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
    raise LayoutError(str(candidate), [layout_problem(candidate, "", f"no layout '{name_or_path}' in {folder}", did_you_mean(name_or_path, known, "known layouts"))])


def load_layout(path: Path) -> LoadedLayout:
    merged, origins, chain = _read_chain(path)
    problems: list[Finding] = []
    try:
        spec: Layout | None = Layout.model_validate(merged)
    except ValidationError as exc:
        problems = [_describe(err, origins, path) for err in exc.errors()]
        spec = _valid_rest(merged, exc.errors())
    if spec is not None:
        problems += _check(spec, path, origins)
    if problems or spec is None:
        raise LayoutError(str(path), problems)
    return LoadedLayout(path.stem, path, tuple(chain), _anchor_files(spec, origins, path), origins)


def _valid_rest(merged: dict[str, Any], errors: list[Any]) -> Layout | None:
    """The layout with every invalid key dropped back to its default, so that the rules of
    ``_check`` still run and every problem is reported in one go; None if that fails."""
    pruned = _copy(merged)
    for _attempt in range(3):
        for error in errors:
            _drop(pruned, [str(part) for part in error["loc"]])
        try:
            return Layout.model_validate(pruned)
        except ValidationError as exc:
            errors = exc.errors()
    return None


def _drop(data: dict[str, Any], loc: list[str]) -> None:
    """Remove the deepest key of ``loc`` that exists in ``data``."""
    parent, key, node = None, "", data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            break
        parent, key, node = node, part, node[part]
    if parent is not None:
        del parent[key]


def _anchor_files(spec: Layout, origins: dict[str, Path], path: Path) -> Layout:
    """Font and logo files are relative to the layout file that named them, which may be a base
    in another folder; make them absolute once, here."""
    updates: dict[str, FontFiles] = {}
    for role in ("body", "heading"):
        family = getattr(spec.fonts, role)
        if isinstance(family, FontFiles):
            files = {style: str((_origin(f"fonts.{role}.{style}", origins, path).parent / getattr(family, style)).resolve()) for style in FontFiles.model_fields}
            updates[role] = family.model_copy(update=files)
    if updates:
        spec = spec.model_copy(update={"fonts": spec.fonts.model_copy(update=updates)})
    if spec.logo.file:
        logo = (_origin("logo.file", origins, path).parent / spec.logo.file).resolve()
        spec = spec.model_copy(update={"logo": spec.logo.model_copy(update={"file": str(logo)})})
    return spec


def _read_chain(path: Path) -> tuple[dict[str, Any], dict[str, Path], list[Path]]:
    chain: list[Path] = []
    current: Path | None = path
    layers: list[tuple[Path, dict[str, Any]]] = []
    while current is not None:
        current = current.resolve() if current.is_absolute() else current
        if current in chain:
            raise LayoutError(str(current), [layout_problem(current, "extends", "layouts extend each other in a loop", "remove one 'extends'")])
        if len(chain) >= MAX_CHAIN:
            raise LayoutError(str(path), [layout_problem(path, "extends", f"more than {MAX_CHAIN} layouts in the extends chain", "extend a shorter chain: merge some of the layouts into one")])
        data = _read_toml(current)
        chain.append(current)
        layers.append((current, data))
        parent = data.get("extends")
        if parent is None:
            current = None
        elif not isinstance(parent, str) or not parent.lower().endswith(".toml"):
            raise LayoutError(str(current), [layout_problem(current, "extends", f"expected the name of a layout file (.toml), got {parent!r}", 'name a layout file beside this one, such as extends = "base.toml"')])
        else:
            current = current.parent / parent
            if not current.is_file():
                siblings = sorted(p.name for p in chain[-1].parent.glob("*.toml") if p != chain[-1])
                raise LayoutError(str(chain[-1]), [layout_problem(chain[-1], "extends", f"the file '{parent}' does not exist next to this layout", did_you_mean(parent, siblings, "layouts beside it"))])
    merged: dict[str, Any] = {}
    origins: dict[str, Path] = {}
    for source, data in reversed(layers):
        _merge(merged, data, source, origins, "")
    merged.pop("extends", None)
    return merged, origins, chain


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(str(path), [layout_problem(path, "", f"TOML syntax error: {exc}", "correct the line named; text values need quotes, such as size = \"A4\"")]) from None
    except OSError as exc:
        raise LayoutError(str(path), [layout_problem(path, "", f"cannot read the file: {exc.strerror}", "check the path and the file's permissions")]) from None


def _merge(into: dict[str, Any], data: dict[str, Any], source: Path, origins: dict[str, Path], prefix: str) -> None:
    """Deep merge where tables merge key by key and anything else replaces; remember who set what."""
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value, source, origins, path + ".")
        else:
            into[key] = _copy(value)
            for leaf in _leaves(value, path):
                origins[leaf] = source
        origins.setdefault(path, source)


def _copy(value: Any) -> Any:
    return {k: _copy(v) for k, v in value.items()} if isinstance(value, dict) else value


def _leaves(value: Any, path: str) -> list[str]:
    if isinstance(value, dict):
        return [path] + [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}")]
    return [path]


def _origin(key: str, origins: dict[str, Path], default: Path) -> Path:
    while key:
        if key in origins:
            return origins[key]
        key = key.rpartition(".")[0]
    return default


def _describe(error: Any, origins: dict[str, Path], path: Path) -> Finding:
    loc = [str(part) for part in error["loc"] if str(part) not in ("str", "FontFiles") and not str(part).startswith("function-")]  # union and validator tags
    key = ".".join(loc)
    owner = _origin(key, origins, path)
    if error["type"] == "extra_forbidden":
        parent_model = _model_at(loc[:-1])
        options = list(parent_model.model_fields) if parent_model else []
        return layout_problem(owner, key, f"unknown key '{loc[-1]}'", did_you_mean(loc[-1], options, "known keys here"))
    message = error["msg"].removeprefix("Value error, ")
    if "input" in error and error["type"] not in ("missing", "value_error"):
        message += f" (got {error['input']!r})"
    described = key_help(loc, _model_at)
    return layout_problem(owner, key, message, schema_hint(error, f"{described} ({LAYOUT_REFERENCE})" if described else LAYOUT_REFERENCE))


def _model_at(loc: list[str]) -> type[BaseModel] | None:
    model: Any = Layout
    parts = iter(loc)
    for part in parts:
        found = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if found is None:
            return None
        annotation = found.annotation
        if get_origin(annotation) is dict:  # e.g. palette: the next part is a category name
            annotation = get_args(annotation)[1]
            next(parts, None)
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return model


def _check(spec: Layout, path: Path, origins: dict[str, Path]) -> list[Finding]:
    """Rules that need more than one key, or the file system."""
    problems: list[Finding] = []

    def problem(key: str, message: str, hint: str, owner: Path | None = None) -> None:
        problems.append(layout_problem(owner or _origin(key, origins, path), key, message, hint))

    try:
        parse_page_size(spec.page.size)
    except ValueError as exc:
        problem("page.size", str(exc), "use Letter, Legal, Tabloid, A4, A3 or 'WIDTH x HEIGHT' such as '6in x 9in'")
    else:
        problems += _text_area(spec, path, origins)
    if spec.product:
        allowed = SECTIONS[spec.product]
        for index, section in enumerate(spec.sections):
            if section not in allowed:
                problems.append(layout_problem(_origin("sections", origins, path), f"sections[{index}]", f"unknown {spec.product} section '{section}'", did_you_mean(section, allowed, "known sections")))
    for role in ("body", "heading"):
        family = getattr(spec.fonts, role)
        if isinstance(family, str):
            if family not in SHIPPED_FAMILIES:
                near = did_you_mean(family, SHIPPED_FAMILIES, "shipped families")
                problem(f"fonts.{role}", f"unknown font family '{family}'", f"{near}; or give a table with regular, bold, italic and bold_italic TTF files")
            continue
        for style in ("regular", "bold", "italic", "bold_italic"):
            key = f"fonts.{role}.{style}"
            owner = _origin(key, origins, path)
            font = owner.parent / getattr(family, style)
            if not font.is_file():
                problem(key, f"font file '{getattr(family, style)}' not found next to {owner.name}", f"put the TTF file beside {owner.name}, or correct its name", owner)
            elif font.suffix.lower() != ".ttf":
                problem(key, "expected a TrueType (.ttf) file", "use a .ttf file (OpenType .otf and web fonts are not supported)", owner)
    if spec.page.columns > 1 and spec.product == "brief":
        problem("page.columns", "the brief has a single column", "set columns only in timeline layouts")
    if spec.page.columns > 1 and spec.timeline.notes == "footnotes":
        problem("page.columns", "footnotes need a single column", 'set timeline.notes = "endnotes" or page.columns = 1')
    if spec.logo.file:
        owner = _origin("logo.file", origins, path)
        logo = (owner.parent / spec.logo.file).resolve()
        if logo.suffix.lower() not in (".png", ".svg"):
            problem("logo.file", "the logo must be a .png or .svg file", "export the logo as PNG or SVG", owner)
        elif not logo.is_relative_to(owner.parent.resolve()):
            problem("logo.file", f"the logo must be in the same folder as {owner.name} (or below it)", f"copy the logo beside {owner.name} and name it without a folder", owner)
        elif not logo.is_file():
            problem("logo.file", f"logo file '{spec.logo.file}' not found next to {owner.name}", f"put the logo beside {owner.name}, or correct its name", owner)
        elif logo.suffix.lower() == ".svg" and (svg := _svg_problem(logo)):
            problem("logo.file", *svg, owner=owner)
    if "{layout}" not in spec.output and spec.product and spec.product not in spec.output:
        problem("output", f"the file name must contain '{{layout}}' or '{spec.product}' so scripts can find each product", f'for example output = "{{stem}}-{spec.product}{SUFFIXES[spec.product]}"')
    ending = Path(spec.output).suffix.lower()
    if spec.product and ending in {*SUFFIXES.values(), ".htm"} and ending != SUFFIXES[spec.product]:
        problem("output", f"a {spec.product} is written as a {SUFFIXES[spec.product]} file, so its name cannot end in '{ending}'", f'end it in {SUFFIXES[spec.product]}, for example output = "{{stem}}-{spec.product}{SUFFIXES[spec.product]}"')
    if spec.product == "page":
        from timeline_pdf.web.contrast import contrast_problems

        for key, message, hint in contrast_problems(spec.colours):
            problem(key, message, hint)
    for key in TEXT_PLACEHOLDERS:
        for message, hint in placeholder_problems(getattr(spec, key), key):
            problem(key, message, hint)
    return problems


MIN_TEXT_AREA = 144.0  # points (2 inches) each way: room for the date column, an entry and a chart
MAX_PAGE = 14_400.0  # points (200 inches) each way: the largest page PDF readers show
CHART_HEADING = 72.0  # points above a chart for its heading
MIN_CHART = 36.0  # points: a chart less than half an inch tall cannot be read (and 0 cannot be drawn)


def _text_area(spec: Layout, path: Path, origins: dict[str, Path]) -> list[Finding]:
    """The page, less its margins (and split into columns), must leave room to set text."""
    page = spec.page
    width, height = page.dimensions()
    inner_width, inner_height = width - page.margins.left - page.margins.right, height - page.margins.top - page.margins.bottom
    needed = f"at least {MIN_TEXT_AREA:.0f} x {MIN_TEXT_AREA:.0f} points (2 x 2 inches) are needed"
    if width > MAX_PAGE or height > MAX_PAGE:
        key, message = "page.size", f"a page of {width:,.0f} x {height:,.0f} points is larger than PDF readers show; at most {MAX_PAGE:,.0f} points (200 inches) each way"
    elif width < MIN_TEXT_AREA or height < MIN_TEXT_AREA:
        key, message = "page.size", f"a page of {width:.0f} x {height:.0f} points is too small to set text on; {needed}"
    elif inner_width < MIN_TEXT_AREA or inner_height < MIN_TEXT_AREA:
        key, message = "page.margins", f"the margins leave {max(inner_width, 0):.0f} x {max(inner_height, 0):.0f} points of a {width:.0f} x {height:.0f} page for text; {needed}"
    elif page.column_width() < MIN_TEXT_AREA:
        key, message = "page.columns", f"{page.columns} columns leave each {max(page.column_width(), 0):.0f} points wide; {needed}: use fewer columns or a smaller column_gap"
    elif spec.product == "brief" and spec.charts.height < MIN_CHART:
        key, message = "charts.height", f"a chart {spec.charts.height:g} points tall cannot be read; at least {MIN_CHART:.0f} points (half an inch)"
    elif spec.product == "brief" and spec.charts.height > inner_height - CHART_HEADING:
        key, message = "charts.height", f"a chart {spec.charts.height:,.0f} points tall does not fit on a page with its heading: at most {inner_height - CHART_HEADING:,.0f} points here"
    else:
        return []
    # the file to name: this layout when it set any of the keys at play, else whichever did
    keys = [f"page.margins.{side}" for side in ("left", "right", "top", "bottom")] + ["page.size", "page.orientation", "page.columns", "page.column_gap", "charts.height"]
    owners = [_origin(k, origins, path) for k in keys]
    hint = "lower charts.height or the margins" if key == "charts.height" else "choose a larger page, smaller margins or fewer columns"
    return [layout_problem(path if path in owners else _origin(key, origins, path), key, message, hint)]


def _svg_problem(path: Path) -> tuple[str, str] | None:
    """An SVG logo must be self-contained: no entities, and no reference to another file or a
    URL (svglib would read an <image> or <use> from anywhere relative to the logo).
    (message, hint) of what is wrong, or None."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse

    again = "export it again as plain SVG, or use a PNG"
    try:
        root = parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException:
        return "the SVG logo declares XML entities", again
    except (ParseError, OSError, ValueError) as exc:  # not XML at all
        return f"the SVG logo cannot be read ({exc})", again
    for element in root.iter():
        for name, value in element.attrib.items():
            target = value.strip()
            if name.rpartition("}")[2] == "href" and not target.startswith("#") and not target.lower().startswith("data:image/"):
                return f"the SVG logo refers to '{target[:60]}'; a logo must be self-contained", "embed its images in it, or use a PNG"
    return None
