"""`rungate validate`: check policy files without reading any run (for editors and
pre-commit hooks). Exit 0 when every file is a valid policy, else 2, with one line for
each file that is not (the same lines `rungate check` would print)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from gate.commands.arguments import Context
from gate.errors import RungateError
from gate.policy import load_policy


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_validate(policies=args.policies, say=context.say)


def run_validate(*, policies: Sequence[Path], say: Callable[[str], None]) -> int:
    failed = 0
    for path in policies:
        try:
            policy = load_policy(path)
        except RungateError as error:
            say(f"rungate: error: {error}")
            failed += 1
            continue
        count = len(policy.metrics)
        print(f"rungate: {path}: a valid policy ({count} metric{'' if count == 1 else 's'})")
    return 2 if failed else 0
