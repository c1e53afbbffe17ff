"""The members of an inspect_ai ``.eval`` log, a ZIP archive.

inspect_ai compresses the members with zstd (ZIP method 93), which Python's
``zipfile`` reads only from 3.14. Before that the member's raw bytes are
decompressed here with the ``zstandard`` package, which the optional extra
``rungate[inspect]`` installs; without it the reader stops with the command that
installs it. Stored and deflated members (older writers) need nothing more.
"""

from __future__ import annotations

import importlib
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from gate.errors import RunSetError

ZIP_ZSTANDARD = 93
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... file name length, extra field length
INSTALL = "pip install 'rungate[inspect]'"
# A member is refused before it is decompressed when it is larger than this, or when
# it is large and expands far more than JSON does (zstd gives JSON 5 to 20 times): a log
# is a pull request's file, and a small archive can expand without end (a "zip bomb"),
# which parsing then multiplies again.
MAX_MEMBER_BYTES = 2**30
MAX_EXPANSION = 200  # times the compressed size, for members over SMALL_MEMBER_BYTES
SMALL_MEMBER_BYTES = 2**24


class EvalZip:
    """An open ``.eval`` archive; ``codec`` names the module that decompresses zstd."""

    def __init__(self, path: Path, stream: BinaryIO, *, codec: str = "zstandard") -> None:
        self.path = path
        self.stream = stream
        self.codec = codec
        try:
            self.archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            raise RunSetError(f"not a readable .eval (ZIP) file: {err}", source=str(path)) from None
        self._zstd: Callable[[bytes, int], bytes] | None = None

    def names(self) -> list[str]:
        return self.archive.namelist()

    def read(self, name: str) -> bytes:
        """A member's bytes; a missing or damaged member is an error that names it."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise RunSetError(f"the log has no {name}", source=str(self.path)) from None
        expansion = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > SMALL_MEMBER_BYTES and expansion > MAX_EXPANSION
        ):
            raise RunSetError(
                f"a member of {info.file_size:,} bytes ({expansion:,.0f} times its compressed "
                f"size), more than rungate reads (up to {MAX_MEMBER_BYTES:,} bytes, and over "
                f"{SMALL_MEMBER_BYTES:,} at most {MAX_EXPANSION} times)",
                source=str(self.path),
                place=name,
            )
        try:
            if info.compress_type != ZIP_ZSTANDARD or hasattr(zipfile, "ZIP_ZSTANDARD"):
                # zipfile stops at the size the directory declares
                return self.archive.read(info)
            data = self._decompress()(self._raw(info), info.file_size)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as err:
            raise RunSetError(
                f"a damaged member: {err}", source=str(self.path), place=name
            ) from None
        except NotImplementedError as err:  # another compression method
            raise RunSetError(str(err), source=str(self.path), place=name) from None
        if zlib.crc32(data) != info.CRC:
            raise RunSetError("a damaged member (bad CRC)", source=str(self.path), place=name)
        return data

    def _raw(self, info: zipfile.ZipInfo) -> bytes:
        self.stream.seek(info.header_offset)
        header = self.stream.read(LOCAL_HEADER.size)
        if len(header) < LOCAL_HEADER.size:
            raise ValueError("the archive ends inside a member's header")
        signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
        if signature != b"PK\x03\x04":
            raise ValueError("no member header where the directory says")
        self.stream.seek(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)
        raw = self.stream.read(info.compress_size)
        if len(raw) < info.compress_size:
            raise ValueError("the archive ends inside a member")
        return raw

    def _decompress(self) -> Callable[[bytes, int], bytes]:
        if self._zstd is None:
            try:
                module = importlib.import_module(self.codec)
            except ImportError:
                raise RunSetError(
                    f"its members are compressed with zstd, which needs {INSTALL}",
                    source=str(self.path),
                ) from None
            decompressor = module.ZstdDecompressor()

            def decompress(raw: bytes, size: int) -> bytes:
                # inspect writes several zstd frames for large members: read across them,
                # never past the size the directory declares (the CRC check then fails).
                reader = decompressor.stream_reader(io.BytesIO(raw), read_across_frames=True)
                try:
                    data: bytes = reader.read(size + 1)
                except module.ZstdError as err:
                    raise ValueError(f"zstd: {err}") from None
                if len(data) > size:
                    raise ValueError("the member holds more than its declared size")
                return data

            self._zstd = decompress
        return self._zstd
