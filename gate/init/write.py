"""The policy `rungate init` writes: YAML with a comment on every guess, for a person to
read once and confirm. Written as text, not dumped, so that the comments sit where they
help; the result is then parsed like any policy before it is saved."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from gate.init.guess import MetricGuess, suggested_tolerance
from gate.model import format_number

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


@dataclass(frozen=True)
class Side:
    yaml: str  # the value of `candidate:` or `baseline:`, as YAML flow text
    comment: str


@dataclass(frozen=True)
class Plan:
    candidate: Side
    baseline: Side
    metrics: Sequence[MetricGuess]
    pair_by_seed: bool


def scalar(text: str) -> str:
    """``text`` as a YAML scalar: bare when it is safe, else double-quoted (JSON is YAML)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def policy_text(plan: Plan) -> str:
    lines = [
        "# yaml-language-server: $schema=.rungate.schema.json",
        '# A rungate policy written by `rungate init`: every line that says "guess" is one;',
        "# read them once, then run `rungate check --policy rungate.yml`. See the README.",
        "version: 1",
        "",
        f"# {plan.candidate.comment}",
        f"candidate: {plan.candidate.yaml}",
        "",
        f"# {plan.baseline.comment}",
        f"baseline: {plan.baseline.yaml}",
        "",
        "alpha: 0.05  # one-sided: how sure the gate must be before it calls a regression",
    ]
    if plan.pair_by_seed:
        lines.append(
            "pair_by: params.seed  # both sides ran the same seeds: pairing removes their luck"
        )
    lines += ["", "metrics:"]
    for guess in plan.metrics:
        lines += [f"  {scalar(guess.name)}:", *_metric_lines(guess)]
    return "\n".join(lines) + "\n"


def _metric_lines(guess: MetricGuess) -> list[str]:
    why = "from its name" if guess.sure else "a guess: the name does not say; check it"
    lines = [f"    direction: {guess.direction}  # {why}"]
    tolerance = suggested_tolerance(guess.spread)
    if tolerance is None:
        reason = (
            "no repeats to measure the spread"
            if guess.spread is None
            else "the runs did not vary at all"
        )
        lines.append(f"    tolerance: 0  # {reason}: set how much worse is acceptable")
    else:
        lines.append(
            f"    tolerance: {format_number(tolerance)}  # a guess: one run-to-run standard "
            f"deviation ({format_number(guess.spread or 0.0)} over {guess.runs} runs)"
        )
    return lines
