"""The manifest written beside each edition's PDFs: what went in, what came out, and which
events it contained, so the next edition can mark what is new or updated and anyone can verify
a rebuilt edition byte for byte.

Event ids are stable: the ID column when the workbook has one, else a hash of the fields that
identify an event (date, category, headline or the start of the description, location). A
content hash of every field tells an updated event from an unchanged one. Neither tells curly
quotes from straight ones (``Kata’ib``, ``Kata'ib``): retyping them changes nothing printed, and
earlier versions read curly quotes as straight, so ids stay those of their manifests.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from timeline_pdf import __version__
from timeline_pdf.errors import Finding, TimelinePdfError
from timeline_pdf.model import Event
from timeline_pdf.typography import STRAIGHT_FOR_CURLY, straighten

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"  # reproducible builds' convention: the PDFs' own date, recorded in the manifest

MANIFEST_VERSION = 2  # 2: paths relative to the manifest, library versions
# curly quotes as straight ones inside JSON strings (where " is written \"), for content hashes
JSON_STRAIGHTEN = str.maketrans({curly: json.dumps(straight)[1:-1] for curly, straight in STRAIGHT_FOR_CURLY.items()})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    return sha256(path.read_bytes())


def event_id(event: Event) -> str:
    explicit = getattr(event, "id", "")
    if explicit:
        return explicit
    identity = [event.date.isoformat(), event.category, event.headline or event.description[:80], event.location]
    return "e-" + sha256(straighten("\x1f".join(identity)).encode("utf-8"))[:12]


def content_hash(event: Event) -> str:
    fields = asdict(event)
    fields.pop("row", None)  # moving a row in the sheet is not a change
    return sha256(json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False).translate(JSON_STRAIGHTEN).encode("utf-8"))[:16]


@dataclass
class Manifest:
    edition: str
    inputs: dict[str, str]  # file name -> sha256 (workbook, summary)
    layouts: dict[str, str]  # layout file name -> sha256, every file in every chain
    events: dict[str, str]  # event id -> content hash
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # file name -> sha256, bytes, pages
    settings: dict[str, Any] = field(default_factory=dict)  # how to rebuild it: workbook, layouts, preset, cutoff, previous manifest (paths relative to the manifest)
    versions: dict[str, Any] = field(default_factory=dict)  # what else shapes the bytes: Python, ReportLab, matplotlib, svglib, fonts
    tool: str = "timeline-pdf"
    version: str = __version__
    format: int = MANIFEST_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in ("edition", "inputs", "layouts", "events", "outputs", "settings", "tool", "version", "format")}, versions=data.get("versions", {}))
        except FileNotFoundError:
            raise TimelinePdfError(f"manifest not found: {path}", "give the path of a manifest written by an earlier build") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise TimelinePdfError(f"{path} is not a timeline-pdf manifest ({exc})", "give a manifest written by timeline-pdf build") from None


def event_ids(events: tuple[Event, ...]) -> list[str]:
    """Ids in event order; a second event with the same identity gets '-2', and so on."""
    seen: dict[str, int] = {}
    ids = []
    for event in events:
        key = event_id(event)
        seen[key] = seen.get(key, 0) + 1
        ids.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return ids


_hashed: list = [None, {}]  # the events last hashed, and their hashes


def event_hashes(events: tuple[Event, ...]) -> dict[str, str]:
    """Each event's id and the hash of its content. The last events hashed are remembered (by
    identity: the model's events never change): a watch session rebuilding after a layout edit,
    or an edition's marks and then its manifest, hash a long workbook's events once."""
    if _hashed[0] is not events:
        _hashed[:] = [events, {key: content_hash(e) for key, e in zip(event_ids(events), events)}]
    return dict(_hashed[1])


def changes(previous: Manifest, events: tuple[Event, ...]) -> dict[str, str]:
    """event id -> 'new' or 'updated', relative to the previous edition."""
    marks = {}
    for key, current in event_hashes(events).items():
        if key not in previous.events:
            marks[key] = "new"
        elif previous.events[key] != current:
            marks[key] = "updated"
    return marks


def previous_manifest(out: Path, stem: str, edition: str) -> Path | None:
    """The latest manifest of an earlier edition of the same workbook in the output folder."""
    if not edition:
        return None
    earlier = []
    for path in out.glob(f"{stem}-*.manifest.json"):
        label = path.name[len(stem) + 1 : -len(".manifest.json")]
        if len(label) == 7 and label < edition:
            earlier.append((label, path))
    return max(earlier)[1] if earlier else None


def manifest_name(workbook: Path, edition: str) -> str:
    """The manifest's file name: the workbook's stem, and the edition when there is one."""
    return f"{workbook.stem}-{edition}.manifest.json" if edition else f"{workbook.stem}.manifest.json"


def relative(path: Path, folder: Path) -> str:
    """``path`` as written in a manifest in ``folder``: relative to it, with forward slashes, so
    the manifest verifies from any working folder (and after the project moved as a whole)."""
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive
        return path.resolve().as_posix()


PDF_LIBRARIES = ("reportlab", "matplotlib", "svglib")
PAGE_LIBRARIES = ("jinja2", "markdown-it-py", "pypdfium2", "pillow", "pandas")  # the page, its thumbnails and its events CSV


def library_versions(fonts: set[Path], web: bool = False) -> dict[str, Any]:
    """The versions of what shapes the bytes of the products besides the inputs: Python, this
    tool, ReportLab, matplotlib, svglib, the font files (by content), and with a publication
    page (``web``) what writes it, its thumbnails and its CSV."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, Any] = {"python": platform.python_version(), "timeline-pdf": __version__}
    for package in PDF_LIBRARIES + (PAGE_LIBRARIES if web else ()):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    found["fonts"] = {font.name: _font_hash(font) for font in sorted(fonts)}
    return found


@cache
def _font_hash(path: Path) -> str:
    return file_hash(path)[:16]


def write_manifest(plan, layouts: list, products: list, outputs) -> Path:
    """Stage the manifest of ``products`` (built by ``plan`` from ``layouts``) in ``outputs``."""
    from timeline_pdf.fonts import arabic_family, document_fonts

    workbook, report, options = plan.workbook, plan.report, plan.options
    path = plan.manifest()
    here = plan.out
    # a report made in memory (from a DataFrame) was read from no file: it names none
    sources = () if options.in_memory else (workbook, workbook.with_suffix(".md"), options.mapping)
    inputs = {relative(file, here): file_hash(file) for file in sources if file is not None and file.is_file()}
    files = {p for layout in layouts for p in layout.chain}
    files |= {Path(layout.spec.logo.file) for layout in layouts if layout.spec.logo.file}
    fonts = {arabic_family().regular, arabic_family().bold}
    for layout in layouts:
        for family in vars(document_fonts(layout)).values():
            fonts |= {family.regular, family.bold, family.italic, family.bold_italic}
    shipped = {f for f in fonts if f.parent == arabic_family().regular.parent}
    files |= fonts - shipped  # a layout's own fonts are inputs like its files
    since = {"since": relative(plan.previous, here), "since_sha256": file_hash(plan.previous)} if plan.previous else {}
    manifest = Manifest(
        edition=report.edition,
        inputs=inputs,
        layouts={relative(file, here): file_hash(file) for file in sorted(files)},
        events=event_hashes(report.events),
        outputs={path.name: {"sha256": sha256(data), "bytes": len(data), "pages": p.pages if path == p.path else None} for p in products for path, data in p.files()},
        settings={"workbook": None if options.in_memory else relative(workbook, here), **({"in_memory": options.in_memory} if options.in_memory else {}),
                  "layouts": [relative(layout.path, here) for layout in layouts], "through": report.coverage.end.isoformat() if report.coverage else None,
                  "preset": options.preset, "mapping": relative(options.mapping, here) if options.mapping else None,
                  "source_date_epoch": os.environ.get(SOURCE_DATE_EPOCH) or None, **since},  # it sets the PDFs' own date
        versions=library_versions(shipped, web=any(p.kind == "page" for p in products)),
    )
    outputs.add(path, manifest.to_json().encode("utf-8"))
    return path


VERIFY_MOVED = "put it back where it was when the manifest was written (paths in a manifest are relative to it), or build the edition again"


def verify(manifest_path: Path) -> list[Finding]:
    """Rebuild what a manifest describes into a scratch folder and compare: [] when every output
    is the same byte for byte, else findings that say what is missing or changed, and why."""
    import tempfile

    from timeline_pdf.build import build
    from timeline_pdf.edition import edition_for

    manifest = Manifest.read(manifest_path)
    settings = manifest.settings
    if settings.get("in_memory") or not settings.get("workbook"):  # nothing on disk to rebuild from
        return [_problem(manifest_path, "verify-in-memory", f"the edition was built from '{settings.get('in_memory') or 'frame'}', a report made in memory (a DataFrame), not from files: verify cannot rebuild it",
                         "build from a workbook file to publish an edition verify can rebuild; the files beside the manifest were checked against it", "settings.in_memory"),
                *_beside_problems(manifest_path, manifest.outputs, "build it again from the frame to restore it")]
    base = manifest_path.parent if manifest.format >= 2 else Path.cwd()  # format 1 kept the paths as typed
    workbook = base / settings.get("workbook", "")
    recorded = dict(manifest.inputs) if manifest.format >= 2 else {relative(workbook.parent / name, base): digest for name, digest in manifest.inputs.items()}
    if manifest.format >= 2:
        recorded.update(manifest.layouts)
    if settings.get("since"):  # beside the manifest, in either format
        recorded[relative(manifest_path.parent / settings["since"], base)] = settings.get("since_sha256", "")
    problems = []
    for name, digest in recorded.items():
        file = base / name
        if not file.is_file():
            problems.append(_problem(manifest_path, "verify-input-missing", f"{name} is missing", VERIFY_MOVED, name))
        elif file_hash(file) != digest:
            problems.append(_problem(manifest_path, "verify-input-changed", f"{name} has changed since the manifest was written", "verify only proves an unchanged edition; build it again to publish the change", name))
    if problems:
        return problems
    with tempfile.TemporaryDirectory() as scratch, _source_date_epoch(settings.get("source_date_epoch")):
        result = build(
            workbook, tuple(str(base / layout) for layout in settings.get("layouts", ())), Path(scratch), preset=settings.get("preset"),
            mapping=base / settings["mapping"] if settings.get("mapping") else None,
            edition=edition_for(manifest.edition, settings.get("through")), since_manifest=manifest_path.parent / settings["since"] if settings.get("since") else None,
        )
        rebuilt = {path.name: sha256(data) for b in result.built for path, data in b.files()}
        now = Manifest.read(result.manifest).versions if result.manifest else {}
    differs = False
    for name, expected in manifest.outputs.items():
        if rebuilt.get(name) != expected["sha256"]:
            differs = True
            problems.append(_problem(manifest_path, "verify-output-differs", f"{name}: the rebuilt file differs from the manifest's", "", f"outputs.{name}"))
        else:
            problems += _beside_problems(manifest_path, {name: expected}, "the rebuilt file matches the manifest: build the edition again to restore it")
    if differs:
        notes = _version_notes(manifest_path, manifest.versions, now)
        hint = ("see the notes below for what changed since; an edition rebuilds exactly only with the same versions" if notes
                else "the inputs, settings and versions are those recorded: report this as a bug in timeline-pdf")
        problems = [replace(p, hint=hint) if p.code == "verify-output-differs" and not p.hint else p for p in problems] + notes
    return problems


@contextmanager
def _source_date_epoch(value: str | None) -> Iterator[None]:
    """The build's SOURCE_DATE_EPOCH (or none) while verify rebuilds, as it set the PDFs' date."""
    saved = os.environ.get(SOURCE_DATE_EPOCH)
    if value is None:
        os.environ.pop(SOURCE_DATE_EPOCH, None)
    else:
        os.environ[SOURCE_DATE_EPOCH] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(SOURCE_DATE_EPOCH, None)
        else:
            os.environ[SOURCE_DATE_EPOCH] = saved


def _beside_problems(manifest_path: Path, outputs: dict[str, dict[str, Any]], restore: str) -> list[Finding]:
    """The outputs (of a manifest) missing beside it, or not the bytes it lists."""
    problems = []
    for name, expected in outputs.items():
        beside = manifest_path.parent / name
        if not beside.is_file():
            problems.append(_problem(manifest_path, "verify-output-missing", f"{name} is missing beside the manifest", restore, f"outputs.{name}"))
        elif file_hash(beside) != expected["sha256"]:
            problems.append(_problem(manifest_path, "verify-output-differs", f"{name}: the file beside the manifest differs from the manifest's", "it was changed after the build: build the edition again to restore it", f"outputs.{name}"))
    return problems


def _problem(manifest_path: Path, code: str, message: str, hint: str, key: str) -> Finding:
    return Finding("error", message, hint, file=str(manifest_path), key=key, code=code)


def _version_notes(manifest_path: Path, then: dict[str, Any], now: dict[str, Any]) -> list[Finding]:
    """What shapes the bytes and is not what it was: each a note that explains a difference."""
    notes = []
    if not then:
        return [Finding("note", "the manifest records no library versions (written by an older timeline-pdf)", "", file=str(manifest_path), key="versions", code="verify-version-changed")]
    for name in sorted(set(then) | set(now)):
        if name == "fonts":
            for font in sorted(set(then.get("fonts", {})) | set(now.get("fonts", {}))):
                if then.get("fonts", {}).get(font) != now.get("fonts", {}).get(font):
                    notes.append(Finding("note", f"the font file {font} is not the one the manifest was built with", "install the timeline-pdf version the manifest names", file=str(manifest_path), key=f"versions.fonts.{font}", code="verify-version-changed"))
        elif then.get(name) != now.get(name):
            notes.append(Finding("note", f"{name} is {now.get(name, 'not recorded')} here; the manifest was built with {then.get(name, 'an unrecorded version')}",
                                 f"install {name} {then.get(name)} to rebuild the edition exactly", file=str(manifest_path), key=f"versions.{name}", code="verify-version-changed"))
    return notes
