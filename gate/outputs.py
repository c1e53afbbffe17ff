"""Writing report files without ever leaving a half-written one behind."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from gate.errors import OutputError, UsageError

STDOUT = Path("-")
PIPE_READER_WAIT = 10.0  # seconds a named pipe may wait for its reader


def check_outputs(outputs: Iterable[Path], inputs: Sequence[Path]) -> None:
    """Refuse to write a report over an input, anywhere inside an input folder, or over
    another report.

    A report written into a run-set folder (at any depth: ``mlruns/1/meta.yaml``)
    would replace a run or be read as one by the next check.
    """
    files: list[str] = []  # several reports may go to one device (/dev/null), not one file
    for output in outputs:
        if output == STDOUT:
            continue
        try:
            _check_output(output, inputs)
            key, device = _key(output), _is_device(output)
        except OSError as exc:  # a name too long, a folder we may not look into
            raise UsageError(
                f"cannot write a report here: {exc.strerror or exc}", source=str(output)
            ) from None
        if key in files:
            raise UsageError("two reports would be written to the same file", source=str(output))
        if not device:
            files.append(key)


def _check_output(output: Path, inputs: Sequence[Path]) -> None:
    key = _key(output)
    for path in inputs:
        protected = _key(path)
        if key == protected:
            raise UsageError(
                f"refusing to write a report over the input {path}", source=str(output)
            )
        if key.startswith(protected.rstrip(os.sep) + os.sep) and Path(protected).is_dir():
            raise UsageError(
                f"refusing to write a report into the run-set folder {path}", source=str(output)
            )
    if output.is_dir():
        raise UsageError("is a directory; give a file name for the report", source=str(output))


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
        # mkstemp makes a 0600 file: keep an existing report's mode, else the umask's.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        handle, temporary = tempfile.mkstemp(prefix=".rungate-", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(
            f"cannot write the report: {exc.strerror or exc}", source=str(path)
        ) from exc


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it right back
    os.umask(mask)
    return mask


def _is_device(path: Path) -> bool:
    """A device, pipe or socket: exists, and is neither a regular file nor a folder."""
    return path.exists() and not path.is_file() and not path.is_dir()


def _write_into(path: Path, text: str) -> None:
    try:
        if stat.S_ISFIFO(path.stat().st_mode):
            file = os.fdopen(_open_pipe(path), "w", encoding="utf-8", newline="\n")
        else:
            file = path.open("w", encoding="utf-8", newline="\n")
        with file:
            file.write(text)
    except OSError as exc:
        reason = "a pipe with no reader" if exc.errno == errno.ENXIO else exc.strerror or exc
        raise OutputError(f"cannot write the report: {reason}", source=str(path)) from exc


def _open_pipe(path: Path) -> int:
    """Open a named pipe for writing. A plain open waits for a reader, forever if none
    comes; this waits at most ``PIPE_READER_WAIT`` seconds (a reader started beside
    rungate may come a moment later), then fails with ENXIO."""
    deadline = time.monotonic() + PIPE_READER_WAIT
    while True:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
            continue
        os.set_blocking(descriptor, True)
        return descriptor


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))
