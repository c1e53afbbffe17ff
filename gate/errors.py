"""The one error hierarchy of rungate.

Every problem a user can act on is a ``RungateError``; ``gate.cli`` is the one
place that turns it into a single line on stderr and exit status 2::

    RungateError            anything that stops the gate from judging (exit 2)
    ├── UsageError          the command line does not make sense
    ├── PolicyError         the policy file is malformed or invalid
    ├── RunSetError         a run set is missing, unreadable, malformed or empty
    │   ├── NoRunsError     a query or selection found no runs (git selection falls back)
    │   └── ServerError     a tracking server answered with an error status
    ├── OutputError         a report could not be written
    ├── StoreError          a history store could not be read or written (rungate record)
    └── PublishError        a report could not be posted (a pull-request comment)
        └── ApiError        the forge's API answered with an error status

Two signals never reach the user as they are; the layer that knows the place
turns them into one of the errors above::

    RecordError             a problem inside one run record (a reader adds file and place)
    FilterError             an MLflow filter or order that cannot be read (the policy
                            parser adds the file, line and key)

``rungate comment`` exits 2 on a ``PublishError``; ``rungate check --comment``
only warns, because the gate's verdict, not the comment, decides its exit status.
The statistics (``gate.stats``) receive validated data and raise none of these.

Each error carries where it happened (a file, and a place inside it: a line,
a policy key, a run id and metric), so the message can name it.
"""

from __future__ import annotations

from collections.abc import Mapping


class RungateError(Exception):
    """Base of every error that means "the gate could not judge"."""

    def __init__(self, message: str, *, source: str | None = None, place: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.place = place

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.source, self.place) if part)
        return f"{where}: {self.message}" if where else self.message


class UsageError(RungateError):
    """The command line does not make sense."""


class PolicyError(RungateError):
    """The policy file is malformed or invalid."""


class RunSetError(RungateError):
    """A run set is missing, unreadable, malformed, or empty."""


class NoRunsError(RunSetError):
    """The query or selection found no runs (as opposed to failing to read them).

    Git-aware selection catches it to fall back from a commit to a branch.
    """


class ServerError(RunSetError):
    """A tracking server answered a request with an error status."""

    def __init__(self, message: str, *, source: str, status: int, server_message: str):
        super().__init__(message, source=source)
        self.status = status
        self.server_message = server_message


class OutputError(RungateError):
    """A report file could not be written."""


class StoreError(RungateError):
    """A history store (a data branch, a folder, an MLflow server) could not be read or written."""


class PublishError(RungateError):
    """A report could not be posted where it was asked to go (a comment, a note)."""


class ApiError(PublishError):
    """The forge's API answered with an error status; keeps what a caller needs to explain it."""

    def __init__(
        self, message: str, *, status: int, api_message: str, headers: Mapping[str, str]
    ) -> None:
        super().__init__(message)
        self.status = status
        self.api_message = api_message
        self.headers = {name.lower(): value for name, value in headers.items()}


class RecordError(Exception):
    """A problem inside one run record; the reader adds the file and the place."""


class FilterError(ValueError):
    """An MLflow filter or order cannot be read, or uses what the local stores do not support."""
