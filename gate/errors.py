"""The one error hierarchy of rungate.

Every problem a user can act on is a ``RungateError``; ``gate.cli`` is the one
place that turns it into a single line on stderr and exit status 2::

    RungateError            anything that stops the gate from judging (exit 2)
    ├── UsageError          the command line does not make sense
    ├── PolicyError         the policy file is malformed or invalid
    ├── RunSetError         a run set is missing, unreadable, malformed or empty
    ├── OutputError         a report could not be written
    └── PublishError        a report could not be posted (a pull-request comment):
        └── ApiError        the API answered with an error (gate.publish.http)

``rungate comment`` exits 2 on a ``PublishError``; ``rungate check --comment``
only warns, because the gate's verdict, not the comment, decides its exit status.

Each error carries where it happened (a file, and a place inside it: a line,
a policy key, a run id and metric), so the message can name it.
"""

from __future__ import annotations


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


class OutputError(RungateError):
    """A report file could not be written."""


class PublishError(RungateError):
    """A report could not be posted where it was asked to go (a comment, a note)."""
