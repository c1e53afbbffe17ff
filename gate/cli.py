"""The command line: parse arguments, dispatch, and turn errors into exit codes.

Exit status of ``check``: 0 the gate passed, 1 the gate failed, 2 nothing could
be judged (a usage, policy, input or output error). ``comment``: 0 posted, 2 not.
This module is the one place that turns a ``RungateError`` into a message.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
import traceback
from collections.abc import Callable, Sequence

from gate.commands.arguments import Context, build_parser
from gate.errors import RungateError, UsageError

EXIT_ERROR = 2
MESSAGE_LENGTH = 2000


def main(argv: Sequence[str] | None = None) -> int:
    _tolerate_narrow_terminals()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        say(f"rungate: error: {exc}")
        return EXIT_ERROR
    except SystemExit as exc:  # --help and --version exit 0
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        # A command's module is imported only when it runs: start-up pays for one.
        command = importlib.import_module(f"gate.commands.{args.command}")
        run: Callable[[argparse.Namespace, Context], int] = command.from_args
        return run(args, Context(parser=parser, say=say))
    except RungateError as exc:
        if args.debug:
            traceback.print_exc()
        say(f"rungate: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        say("rungate: interrupted")
        return 130
    except Exception as exc:  # a bug of ours must still not look like a verdict
        if args.debug:
            traceback.print_exc()
        say(
            f"rungate: internal error: {type(exc).__name__}: {exc} (this is a bug in "
            "rungate; rerun with --debug for the traceback)"
        )
        return EXIT_ERROR


def say(message: str) -> None:
    """One line on stderr. Messages quote data from run files and policies, so control
    characters become spaces: no second line can start a CI workflow command
    (``::error::``, ``##[set-output ...]``), and no terminal escape gets through."""
    from gate.report.escape import one_line

    print(one_line(message, MESSAGE_LENGTH), file=sys.stderr)


def _tolerate_narrow_terminals() -> None:
    """A stdout that cannot encode "Δ" or "✅" (cp1252, as Windows gives a redirected
    stdout) gets a stand-in character instead of a crash that would hide the verdict."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


if __name__ == "__main__":
    sys.exit(main())
