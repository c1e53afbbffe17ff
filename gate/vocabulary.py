"""The words of a policy, as types: parsed once, then compared as members, never as text.

Each vocabulary is a ``str`` enum, so a member compares equal to the word the
policy and the reports use (``Direction.HIGHER == "higher"``), prints as that
word, and goes into JSON as it. ``Aggregate`` is a value: ``mean_last_5`` is
parsed into the count it names once, not on every use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal


class Word(str, Enum):
    """A policy word: prints, formats and serialises as its value."""

    def __str__(self) -> str:
        return str(self.value)


class Direction(Word):
    HIGHER = "higher"
    LOWER = "lower"


class Mode(Word):
    DETECT = "detect"  # fail on evidence of a regression
    NONINFERIORITY = "noninferiority"  # pass only on evidence of no regression


class TestName(Word):
    __test__ = False  # a statistical test's name, not a pytest class to collect

    WELCH = "welch"
    BOOTSTRAP = "bootstrap"
    MANNWHITNEY = "mannwhitney"
    PAIRED_T = "paired_t"
    WILCOXON = "wilcoxon"
    SIGNFLIP = "signflip"
    PAIRED_BOOTSTRAP = "paired_bootstrap"
    MCNEMAR = "mcnemar"
    # Chosen by the gate, never by a policy: one run against the other side's spread.
    PREDICTION = "prediction"

    @property
    def paired(self) -> bool:
        return self not in UNPAIRED_TESTS

    @property
    def bootstrap(self) -> bool:
        return self in (TestName.BOOTSTRAP, TestName.PAIRED_BOOTSTRAP)


UNPAIRED_TESTS = (TestName.WELCH, TestName.BOOTSTRAP, TestName.MANNWHITNEY, TestName.PREDICTION)
PAIRED_TESTS = tuple(test for test in TestName if test not in UNPAIRED_TESTS)
POLICY_TESTS = tuple(test for test in TestName if test is not TestName.PREDICTION)


class Correction(Word):
    HOLM = "holm"
    BH = "bh"  # Benjamini-Hochberg
    NONE = "none"


class Statistic(Word):
    MEAN = "mean"
    MEDIAN = "median"
    IQM = "iqm"  # interquartile mean


class NonFinite(Word):
    FAIL = "fail"  # a NaN or infinite candidate value fails the metric
    IGNORE = "ignore"  # such values are left out


PAIR_BY_EXAMPLE = "example"  # `pair_by: example`; any other value is a run field path

_MEAN_LAST = re.compile(r"mean_last_([1-9][0-9]{0,8})")
AggregateHow = Literal["last", "min", "max", "mean", "mean_last"]
_PLAIN_AGGREGATES: tuple[AggregateHow, ...] = ("last", "min", "max", "mean")


@dataclass(frozen=True)
class Aggregate:
    """How a step history becomes one value per run: ``last``, ``min``, ``max``,
    ``mean``, or ``mean_last`` of the ``last`` final steps."""

    how: AggregateHow = "last"
    last: int | None = None

    @classmethod
    def parse(cls, text: str) -> Aggregate | None:
        """The aggregate ``text`` names, or None when it names none."""
        for how in _PLAIN_AGGREGATES:
            if text == how:
                return cls(how)
        match = _MEAN_LAST.fullmatch(text)
        return cls("mean_last", int(match.group(1))) if match else None

    @property
    def spec(self) -> str:
        """As the policy writes it: ``last``, ``mean_last_5``."""
        return f"mean_last_{self.last}" if self.how == "mean_last" else self.how

    def __str__(self) -> str:
        return self.spec


LAST = Aggregate()
