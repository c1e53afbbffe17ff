"""Writing report files without ever leaving a half-written one behind."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gate.errors import OutputError, UsageError

STDOUT = Path("-")


def check_outputs(outputs: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Refuse to write a report over an input, into an input folder, or over another report.

    A report written into a run-set folder would be read as runs by the next check.
    """
    protected = {_key(path): path for path in inputs}
    seen: set[str] = set()
    for output in outputs:
        if output == STDOUT:
            continue
        key = _key(output)
        if key in protected:
            raise UsageError(
                f"refusing to write a report over the input {protected[key]}", source=str(output)
            )
        parent = _key(output.parent)
        if parent in protected and protected[parent].is_dir():
            raise UsageError(
                f"refusing to write a report into the run-set folder {protected[parent]}",
                source=str(output),
            )
        # Several reports may go to one device (/dev/null), never to one file.
        if key in seen and not _is_device(output):
            raise UsageError("two reports would be written to the same file", source=str(output))
        if output.is_dir():
            raise UsageError("is a directory; give a file name for the report", source=str(output))
        seen.add(key)


def write_text(path: Path, text: str) -> None:
    """Write atomically: a reader sees the old file or the whole new one, never a part.

    Only a regular file can be replaced that way: a device (``/dev/null``), a pipe or
    a terminal is written into as it is, never replaced by a file.
    """
    if path == STDOUT:
        sys.stdout.write(text)
        return
    if _is_device(path):
        _write_into(path, text)
        return
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(
            f"cannot write the report: {exc.strerror or exc}", source=str(path)
        ) from exc


def _is_device(path: Path) -> bool:
    """A device, pipe or socket: exists, and is neither a regular file nor a folder."""
    return path.exists() and not path.is_file() and not path.is_dir()


def _write_into(path: Path, text: str) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except OSError as exc:
        raise OutputError(
            f"cannot write the report: {exc.strerror or exc}", source=str(path)
        ) from exc


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))
