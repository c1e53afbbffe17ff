"""The command line's arguments: one parser, a sub-parser per command.

``gate.cli`` parses with it and dispatches; ``rungate completion`` reads it to
write completion scripts, so the two can never disagree.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from gate import __version__
from gate.errors import UsageError

if TYPE_CHECKING:
    from gate.publish.post import CommentRequest


@dataclass(frozen=True)
class Context:
    """What a command may need besides its arguments."""

    parser: argparse.ArgumentParser
    say: Callable[[str], None]  # gate.cli's one way of printing an error line


def comment_request(args: argparse.Namespace) -> CommentRequest:
    """The sticky-comment options of `check --comment` and of `comment`."""
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


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr, like every other error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    """The parser; a usage error is a ``UsageError``, which gate.cli prints as one line."""
    parser = _Parser(
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
    _add_check(check)
    _add_shared(check)
    comment = commands.add_parser(
        "comment",
        help="post a report file as a pull request's sticky comment",
        description="Post a report (the JSON report of `rungate check --json`, or its "
        "Markdown report) as the sticky comment of a pull request: for a workflow_run "
        "workflow that comments on fork pull requests. Exit status: 0 posted, 2 not posted.",
    )
    _add_comment(comment)
    _add_shared(comment)
    validate = commands.add_parser(
        "validate",
        help="check policy files without reading any run",
        description="Check policy files as `rungate check` would, without reading any run: "
        "for pre-commit hooks and editors. Exit status: 0 all valid, 2 not.",
    )
    validate.add_argument("policies", nargs="+", type=Path, metavar="POLICY")
    init = commands.add_parser(
        "init",
        help="write a first policy from the runs you have",
        description="Read run files (rungate's own, pytest-benchmark, dvc exp show, W&B "
        "exports) or an MLflow experiment, and write a commented policy: every metric, which "
        "way is better (from its name), a tolerance from the run-to-run spread, and the "
        "baseline (main's newest runs, when the runs name their branch). Every guess is "
        "marked in a comment.",
    )
    init.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="the runs: one path (both sides from it), or the pull request's then the baseline's",
    )  # fmt: skip
    init.add_argument("--mlflow", metavar="EXPERIMENT", help="read an MLflow experiment instead")
    init.add_argument(
        "--tracking-uri", metavar="URI", help="with --mlflow; default: MLFLOW_TRACKING_URI"
    )
    init.add_argument(
        "--output", type=Path, default=Path("rungate.yml"), metavar="FILE",
        help="where to write the policy (default: rungate.yml)",
    )  # fmt: skip
    init.add_argument("--force", action="store_true", help="replace an existing policy")
    init.add_argument(
        "--github", action="store_true",
        help="also write the fork-safe pair of GitHub workflows (docs/github-action.md)",
    )  # fmt: skip
    init.add_argument(
        "--action", metavar="OWNER/REPO@SHA",
        help="with --github: the rungate action the workflows use, pinned to a full commit SHA",
    )  # fmt: skip
    explain = commands.add_parser(
        "explain",
        help="say in plain words how one metric was judged",
        description="Judge as `rungate check` does, then explain one metric: the data on each "
        "side, the test and why it was chosen, the numbers, the decision rule, and what would "
        "change the verdict. Exit status: 0, or 1 when that metric fails the gate.",
    )
    explain.add_argument("metric", metavar="METRIC", help="the metric's name in the policy")
    _add_policy_and_sides(explain)
    record = commands.add_parser(
        "record",
        help="append runs to the policy's history store (on the main branch)",
        description="Append a run set (the --runs paths, else the policy's `candidate:`) to "
        "the policy's `history:` store, tagged with the commit, the branch and the time (from "
        "the CI's variables, else from git): the history a `baseline: {history: ...}` reads. "
        "See docs/history.md. Exit status: 0 recorded, 2 not.",
    )
    _add_policy(record)
    record.add_argument(
        "--runs", action="append", type=Path, default=[], metavar="PATH",
        help="a run file or folder to record (repeatable; replaces the policy's `candidate:`)",
    )  # fmt: skip
    _add_history_readers(commands)
    completion = commands.add_parser(
        "completion",
        help="print a shell completion script",
        description='Print a completion script: eval "$(rungate completion bash)" in '
        "~/.bashrc (zsh likewise), or rungate completion fish | source.",
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    commands.add_parser(
        "schema",
        help="print the policy's JSON Schema",
        description="Print the JSON Schema of the policy, made from the parser's own key "
        "tables: save it and point an editor at it (see the README).",
    )
    for command in commands.choices.values():
        command.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return parser


def _add_policy(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy", required=True, type=Path, metavar="POLICY", help="the YAML policy file"
    )


def _add_history_readers(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`history` and `dashboard`: what main's recorded history shows."""
    history = commands.add_parser(
        "history",
        help="print the shifts found in main's recorded history",
        description="Read the policy's `history:` store in the first-parent order of BRANCH "
        "and print each shift (change point) found in a metric: commit, before -> after, p. "
        "See docs/history.md. Exit status: 0 (shifts are news, not a verdict), 2 on an error.",
    )
    history.add_argument("--markdown", action="store_true", help="print a Markdown table")
    dashboard = commands.add_parser(
        "dashboard",
        help="write a static site of main's recorded history",
        description="Write a static site (index.html, GitHub Pages-ready) with a trend chart "
        "per metric of the policy over main's recorded commits, shifts marked. "
        "See docs/history.md. Exit status: 0 written, 2 not.",
    )
    dashboard.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="the folder to write the site to"
    )
    for reader in (history, dashboard):
        _add_policy(reader)
        reader.add_argument(
            "--branch", metavar="BRANCH",
            help="the branch whose history to read (default: the CI's target branch, else main)",
        )  # fmt: skip


def _add_shared(parser: argparse.ArgumentParser) -> None:
    """What both commands take: how to name and post the comment."""
    parser.add_argument(
        "--comment-id",
        default="default",
        metavar="ID",
        help="names this gate's comment, so several gates can each keep one (default: default)",
    )
    parser.add_argument(
        "--comment-mode",
        choices=("update", "new", "recreate"),
        default="update",
        help="update the comment in place (default), post a new one each time, or delete "
        "the old one and post anew",
    )


def _add_policy_and_sides(parser: argparse.ArgumentParser) -> None:
    _add_policy(parser)
    for side in ("candidate", "baseline"):
        parser.add_argument(
            f"--{side}",
            action="append",
            type=Path,
            default=[],
            metavar="PATH",
            help=f"a {side} run file or folder: rungate's own, pytest-benchmark JSON, "
            f"`dvc exp show --json` output or a W&B CSV export (repeatable; replaces the "
            f"policy's `{side}:`)",
        )


def _add_check(check: argparse.ArgumentParser) -> None:
    _add_policy_and_sides(check)
    for kind in ("markdown", "json", "html"):
        check.add_argument(
            f"--{kind}",
            type=Path,
            metavar="FILE",
            help=f"write the {kind.upper() if kind != 'markdown' else 'Markdown'}"
            " report to FILE ('-' for stdout)",
        )
    check.add_argument(
        "--junit", type=Path, metavar="FILE", help="write a JUnit XML report to FILE"
    )
    check.add_argument(
        "--comment",
        action="store_true",
        help="in GitHub Actions or GitLab CI, post the report as the pull (merge) request's "
        "sticky comment; a failure to post is a warning and leaves the exit status alone",
    )


def _add_comment(comment: argparse.ArgumentParser) -> None:
    comment.add_argument(
        "report",
        type=Path,
        metavar="REPORT",
        help="the JSON report (a file starting with '{'), or a Markdown report",
    )
    comment.add_argument(
        "--pr",
        type=_positive_int,
        metavar="N",
        help="the pull request (GitLab: merge request IID); default: the event's",
    )
    comment.add_argument(
        "--repo", metavar="OWNER/NAME", help="the repository; default: GITHUB_REPOSITORY"
    )
    comment.add_argument(
        "--details-url",
        metavar="URL",
        help="where the full report is (the gate's run), linked when the report is cut",
    )
    comment.add_argument(
        "--require-head-sha",
        metavar="SHA",
        help="post only if the pull request's head commit is SHA (guards a PR number "
        "read from an artifact)",
    )


def _positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)
