"""The command line: parse arguments, dispatch, and turn errors into exit codes.

Exit status of ``check``: 0 the gate passed, 1 the gate failed, 2 nothing could
be judged (a usage, policy, input or output error). ``comment``: 0 posted, 2 not.
This module is the one place that turns a ``RungateError`` into a message.
"""

from __future__ import annotations

import argparse
import io
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gate.commands.arguments import build_parser
from gate.errors import RungateError, UsageError

if TYPE_CHECKING:
    from gate.publish.post import CommentRequest

EXIT_ERROR = 2
MESSAGE_LENGTH = 2000


def _comment_request(args: argparse.Namespace) -> CommentRequest:
    from gate.publish.body import check_comment_id
    from gate.publish.post import CommentRequest
    from gate.publish.sticky import CommentMode

    return CommentRequest(
        comment_id=check_comment_id(args.comment_id),
        mode=CommentMode(args.comment_mode),
        number=getattr(args, "pr", None),
        repository=getattr(args, "repo", None),
        details_url=getattr(args, "details_url", None),
        require_head_sha=getattr(args, "require_head_sha", None),
    )


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
        if args.command == "validate":
            from gate.commands.validate import run_validate

            return run_validate(policies=args.policies, say=say)
        if args.command == "init":
            from gate.commands.init import run_init

            return run_init(
                paths=args.paths,
                output=args.output,
                force=args.force,
                mlflow=args.mlflow,
                tracking_uri=args.tracking_uri,
                github=args.github,
                action=args.action,
            )
        if args.command == "explain":
            from gate.commands.explain import run_explain

            return run_explain(
                metric=args.metric,
                policy=args.policy,
                candidate=args.candidate,
                baseline=args.baseline,
            )
        if args.command == "completion":
            from gate.commands.completion import run_completion

            return run_completion(shell=args.shell, parser=parser)
        if args.command == "schema":
            from gate.commands.schema import run_schema

            return run_schema()
        if args.command == "comment":
            from gate.commands.comment import run_comment

            return run_comment(report=args.report, request=_comment_request(args))
        from gate.commands.check import run_check

        return run_check(
            policy=args.policy,
            candidate=args.candidate,
            baseline=args.baseline,
            markdown=args.markdown,
            json=args.json,
            html=args.html,
            junit=args.junit,
            comment=_comment_request(args) if args.comment else None,
        )
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
