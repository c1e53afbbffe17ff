"""The command line: parse arguments, dispatch, and turn errors into exit codes.

Exit status: 0 the gate passed, 1 the gate failed, 2 nothing could be judged
(a usage, policy, input or output error). This module is the one place that
turns a ``RungateError`` into a message.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from gate import __version__
from gate.errors import RungateError

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rungate",
        description="A statistical regression gate for machine-learning experiment runs.",
        epilog="Exit status: 0 no regression, 1 the gate failed, 2 nothing could be judged.",
    )
    parser.add_argument("--version", action="version", version=f"rungate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="judge a candidate run set against a baseline",
        description="Judge a candidate run set against a baseline run set under a policy.",
    )
    check.add_argument(
        "--policy", required=True, type=Path, metavar="POLICY", help="the YAML policy file"
    )
    check.add_argument(
        "--candidate",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="a candidate run-set file or folder (repeatable; replaces the policy's `candidate:`)",
    )
    check.add_argument(
        "--baseline",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="a baseline run-set file or folder (repeatable; replaces the policy's `baseline:`)",
    )
    for kind in ("markdown", "json", "html"):
        check.add_argument(
            f"--{kind}",
            type=Path,
            metavar="FILE",
            help=f"write the {kind.upper() if kind != 'markdown' else 'Markdown'}"
            " report to FILE ('-' for stdout)",
        )
    check.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        from gate.commands.check import run_check

        return run_check(
            policy=args.policy,
            candidate=args.candidate,
            baseline=args.baseline,
            markdown=args.markdown,
            json=args.json,
            html=args.html,
        )
    except RungateError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"rungate: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("rungate: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours must still not look like a verdict
        if args.debug:
            traceback.print_exc()
        print(
            f"rungate: internal error: {type(exc).__name__}: {exc} (this is a bug in "
            "rungate; rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
