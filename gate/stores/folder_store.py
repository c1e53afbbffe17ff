"""A history store in a folder: one record file per recording (``record_file``).

For a CI cache or artifact, a shared disk, or trying rungate out locally. Each
record is written to a temporary file and renamed into place, so a reader never
sees half a record and two writers never write the same file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gate.errors import StoreError
from gate.model import CommitRuns
from gate.stores import StoreContents
from gate.stores.record_file import (
    SUFFIX,
    decode_record,
    encode_record,
    mark_duplicates,
    record_name,
)


class FolderStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def describe(self) -> str:
        return f"folder {self.folder}"

    def append(self, record: CommitRuns) -> str:
        target = self.folder / record_name(record)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(encode_record(record))
            os.replace(temporary, target)
        except OSError as err:
            raise StoreError(
                f"cannot write a record: {err.strerror or err}", source=str(target)
            ) from None
        return str(target)

    def read(self) -> StoreContents:
        if not self.folder.exists():
            return StoreContents(())
        if not self.folder.is_dir():
            raise StoreError("the history folder is not a folder", source=str(self.folder))
        records, warnings = [], []
        for file in sorted(self.folder.glob(f"*/*{SUFFIX}")):
            name = file.relative_to(self.folder).as_posix()
            try:
                text = file.read_text(encoding="utf-8")
                records.append(decode_record(text, where=str(file), name=name))
            except StoreError as err:
                warnings.append(f"skipped a record: {err}")
            except (OSError, UnicodeDecodeError) as err:
                warnings.append(f"skipped a record: {file}: cannot read it: {err}")
        return StoreContents(mark_duplicates(records), tuple(warnings))
