"""Writing products: atomic replacement inside the output folder, and file naming.

Every file is either the previous one or the complete new one: nothing is written in place,
and the files of one build (PDFs, manifest, archive) replace the old ones together, after all
of them have been written in full. A failed, interrupted (Ctrl-C, SIGTERM) or out-of-space
build leaves the old files and no partial one behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from timeline_pdf.errors import Interrupted, TimelinePdfError
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.layout.schema import SUFFIXES
from timeline_pdf.model import Report
from timeline_pdf.placeholders import fill, slug


def output_name(layout: LoadedLayout, workbook: Path, report: Report) -> str:
    """The layout's file-name pattern filled in, ending in its product's ending (added when the
    pattern lacks it). An edition always shows in the name (added before the ending when the
    pattern has no {edition}), so editions never overwrite each other."""
    suffix = SUFFIXES[layout.spec.product]
    pattern = layout.spec.output
    if report.edition and "{edition}" not in pattern:
        pattern = pattern.removesuffix(suffix) + "-{edition}"
    values = {"stem": workbook.stem, "layout": layout.name, "edition": report.edition, "slug": slug(report.info.title or layout.spec.title_default)}
    name = Path(fill(pattern, values)).name  # a pattern cannot write outside the output folder
    return name if name.lower().endswith(suffix) else name + suffix


class Outputs:
    """Files put in place together, or not at all.

    ``add`` writes each file in full to a temporary ``.part`` file beside its destination and
    flushes it to disk; running out of space or any other failure happens there, while every
    old file is still in place. ``commit`` then renames them over the old files, one rename
    each, with Ctrl-C and SIGTERM held until the last is done (see ``on_signal``). Leaving the
    ``with`` block without a commit removes the temporary files, on any error or interrupt.
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}  # destination -> its temporary file

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *_exc) -> None:
        self.discard()

    def add(self, path: Path, data: bytes) -> None:
        if path.is_dir():
            raise TimelinePdfError(f"cannot write {path}: a folder of that name is in the way", "rename or remove the folder, or choose another folder with --out")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        except OSError as exc:
            raise TimelinePdfError(f"cannot write to {path.parent}: {exc.strerror}", "choose another folder with --out, or check its permissions") from None
        temporary = Path(name)
        previous = self._staged.pop(path, None)
        self._staged[path] = temporary
        if previous is not None:
            previous.unlink(missing_ok=True)
        try:
            try:
                _write_all(handle, data)
                os.fsync(handle)
            finally:
                os.close(handle)
            os.chmod(temporary, 0o644)
        except OSError as exc:
            self.discard()
            raise TimelinePdfError(f"cannot write {path}: {exc.strerror}", "free some disk space or check the folder's permissions; the previous files were kept") from None

    def read(self, path: Path) -> bytes:
        """What ``path`` will hold once committed (its staged bytes), else what it holds now."""
        return (self._staged.get(path) or path).read_bytes()

    def commit(self) -> None:
        global _committing, _pending
        with _locked({path.parent for path in self._staged}):  # another build's renames go before or after ours
            _committing += 1
            try:
                self._rename_all()
            finally:
                _committing -= 1
                self.discard()
                number = None if _committing else _pending
                if number is not None:
                    _pending = None
        if number is not None:  # Ctrl-C or SIGTERM came during the renames: stop now they are done
            raise Interrupted(number, committed=True)

    def _rename_all(self) -> None:
        while self._staged:
            path, temporary = next(iter(self._staged.items()))
            try:
                os.replace(temporary, path)
            except OSError as exc:
                raise TimelinePdfError(f"cannot put {path} in place: {exc.strerror}", "check the output folder; files listed before this one were written") from None
            del self._staged[path]

    def discard(self) -> None:
        for temporary in self._staged.values():
            temporary.unlink(missing_ok=True)
        self._staged.clear()


@contextmanager
def _locked(folders: set[Path]) -> Iterator[None]:
    """Hold an exclusive lock on each folder (where the system has them), so that two builds
    writing into one folder at once put their sets of files in place one after the other."""
    try:
        import fcntl
    except ImportError:  # not on this system: each file is still replaced whole
        yield
        return
    handles: list[int] = []
    try:
        for folder in sorted(folders):
            handles.append(os.open(folder, os.O_RDONLY))
            fcntl.flock(handles[-1], fcntl.LOCK_EX)  # waits for the other build; Ctrl-C still stops it
        yield
    finally:
        for handle in handles:
            os.close(handle)  # and the lock with it


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view[: 1 << 20]) :]


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over, so a reader (or a failed
    build) never sees a partial file and an earlier good file survives any failure."""
    with Outputs() as outputs:
        outputs.add(path, data)
        outputs.commit()


# Signals: the command line sends Ctrl-C and SIGTERM here, so that either stops the program where
# it is, with every clean-up run, except while outputs are being renamed into place.
_committing = 0
_pending: int | None = None


def on_signal(number: int, _frame) -> None:
    global _pending
    if _committing:
        _pending = number  # raised when the renames are done
        return
    raise Interrupted(number)


def write_archive(path: Path, files: list[Path], outputs: Outputs | None = None) -> Path:
    """A zip of the given files with fixed timestamps, so the same files give the same bytes;
    staged in ``outputs`` (and read from there) when given, else written at once."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            info = zipfile.ZipInfo(file.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, outputs.read(file) if outputs else file.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    if outputs is not None:
        outputs.add(path, buffer.getvalue())
    else:
        write_atomic(path, buffer.getvalue())
    return path
