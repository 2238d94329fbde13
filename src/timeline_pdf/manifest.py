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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from timeline_pdf import __version__
from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.model import Event
from timeline_pdf.typography import STRAIGHT_FOR_CURLY, straighten

MANIFEST_VERSION = 1
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
    settings: dict[str, Any] = field(default_factory=dict)  # how to rebuild it: workbook, layouts, preset, cutoff, previous manifest
    tool: str = "timeline-pdf"
    version: str = __version__
    format: int = MANIFEST_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in ("edition", "inputs", "layouts", "events", "outputs", "settings", "tool", "version", "format")})
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


def event_hashes(events: tuple[Event, ...]) -> dict[str, str]:
    return {key: content_hash(e) for key, e in zip(event_ids(events), events)}


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


def write_manifest(plan, layouts: list, products: list, outputs) -> Path:
    """Stage the manifest of ``products`` (built by ``plan`` from ``layouts``) in ``outputs``."""
    workbook, report, options = plan.workbook, plan.report, plan.options
    inputs = {workbook.name: file_hash(workbook)} if workbook.is_file() else {}  # a report made from a DataFrame may have no file
    summary = workbook.with_suffix(".md")
    if summary.is_file():
        inputs[summary.name] = file_hash(summary)
    since = {"since": plan.previous.name, "since_sha256": file_hash(plan.previous)} if plan.previous else {}
    manifest = Manifest(
        edition=report.edition,
        inputs=inputs,
        layouts={str(p.name): file_hash(p) for layout in layouts for p in layout.chain},
        events=event_hashes(report.events),
        outputs={p.path.name: {"sha256": sha256(p.data), "bytes": p.size, "pages": p.pages} for p in products},
        settings={"workbook": str(workbook), "layouts": [str(layout.path) for layout in layouts], "through": report.coverage.end.isoformat() if report.coverage else None,
                  "preset": options.preset, "mapping": str(options.mapping) if options.mapping else None, **since},
    )
    name = f"{workbook.stem}-{report.edition}.manifest.json" if report.edition else f"{workbook.stem}.manifest.json"
    path = plan.out / name
    outputs.add(path, manifest.to_json().encode("utf-8"))
    return path


def verify(manifest_path: Path) -> list[str]:
    """Rebuild what a manifest describes into a scratch folder and compare; [] when identical."""
    import tempfile

    from timeline_pdf.build import build
    from timeline_pdf.edition import edition_for

    manifest = Manifest.read(manifest_path)
    settings = manifest.settings
    workbook = Path(settings.get("workbook", ""))
    problems = [f"{name} has changed since the manifest was written" for name, digest in manifest.inputs.items()
                if not (workbook.parent / name).is_file() or file_hash(workbook.parent / name) != digest]
    since = manifest_path.parent / settings["since"] if settings.get("since") else None
    if since is not None and (not since.is_file() or file_hash(since) != settings.get("since_sha256")):
        problems.append(f"the previous edition's manifest {settings['since']} is missing or has changed")
    if problems:
        return problems
    with tempfile.TemporaryDirectory() as scratch:
        result = build(
            workbook, tuple(settings.get("layouts", ())), Path(scratch), preset=settings.get("preset"),
            mapping=Path(settings["mapping"]) if settings.get("mapping") else None,
            edition=edition_for(manifest.edition, settings.get("through")), since_manifest=since,
        )
        rebuilt = {b.path.name: sha256(b.data) for b in result.built}
    for name, expected in manifest.outputs.items():
        if rebuilt.get(name) != expected["sha256"]:
            problems.append(f"{name}: the rebuilt file differs from the manifest's")
        elif not (manifest_path.parent / name).is_file() or file_hash(manifest_path.parent / name) != expected["sha256"]:
            problems.append(f"{name}: the file beside the manifest is missing or differs")
    return problems
