"""Writing products: atomic replacement inside the output folder, and file naming."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.render.page import fill


def output_name(layout: LoadedLayout, workbook: Path) -> str:
    name = fill(layout.spec.output, {"stem": workbook.stem, "layout": layout.name})
    name = Path(name).name  # a pattern cannot write outside the output folder
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
