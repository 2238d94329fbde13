"""Writing products: atomic replacement inside the output folder, and file naming."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report
from timeline_pdf.placeholders import fill, slug


def output_name(layout: LoadedLayout, workbook: Path, report: Report | None = None) -> str:
    """The layout's file-name pattern filled in. An edition always shows in the name (added
    before '.pdf' when the pattern has no {edition}), so editions never overwrite each other."""
    pattern = layout.spec.output
    edition = report.edition if report else ""
    if edition and "{edition}" not in pattern:
        pattern = pattern.removesuffix(".pdf") + "-{edition}"
    values = {"stem": workbook.stem, "layout": layout.name, "edition": edition, "slug": slug(report.info.title) if report else workbook.stem}
    name = Path(fill(pattern, values)).name  # a pattern cannot write outside the output folder
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over, so a reader (or a failed
    build) never sees a partial file and an earlier good file survives any failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise TimelinePdfError(f"cannot write to {path.parent}: {exc.strerror}", "choose another folder with --out, or check its permissions") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise TimelinePdfError(f"cannot write {path}: {exc.strerror}", "free some disk space or check the folder's permissions; the previous file was kept") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_archive(path: Path, files: list[Path]) -> Path:
    """A zip of the given files with fixed timestamps, so the same files give the same bytes."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            info = zipfile.ZipInfo(file.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    write_atomic(path, buffer.getvalue())
    return path
