"""The values a policy key may take, and their validation.

Each parser takes the YAML document, the key's path and its value, and returns
the checked value or raises a ``PolicyError`` naming the file, line and key.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from gate.errors import PolicyError
from gate.model import is_valid_field_path
from gate.policy.yamldoc import Path_, YamlDocument, did_you_mean

SUPPORTED_VERSIONS = (1,)
DIRECTIONS = ("higher", "lower")
UNPAIRED_TESTS = ("welch", "bootstrap", "mannwhitney")
PAIRED_TESTS = ("paired_t", "wilcoxon", "signflip", "paired_bootstrap", "mcnemar")
TESTS = (*UNPAIRED_TESTS, *PAIRED_TESTS)
NON_FINITE_RULES = ("fail", "ignore")
MODES = ("detect", "noninferiority")
CORRECTIONS = ("holm", "bh", "none")
STATISTICS = ("mean", "median", "iqm")
PAIR_BY_EXAMPLE = "example"

DEFAULT_ALPHA = 0.05
DEFAULT_RESAMPLES = 10_000

_PERCENT = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*%\s*$")
_MEAN_LAST = re.compile(r"^mean_last_([1-9][0-9]*)$")
AGGREGATES = ("last", "min", "max", "mean", "mean_last_K")


@dataclass(frozen=True)
class Tolerance:
    """How much worsening is tolerated: absolute, or a fraction of the baseline mean."""

    value: float
    relative: bool = False

    @property
    def spec(self) -> str:
        return f"{self.value * 100:g}%" if self.relative else f"{self.value:g}"

    def absolute(self, baseline_mean: float) -> float:
        return self.value * abs(baseline_mean) if self.relative else self.value


NO_TOLERANCE = Tolerance(0.0)


def metric_settings(doc: YamlDocument, node: dict[str, object], path: Path_) -> dict[str, object]:
    """Validate the metric keys present in ``node`` into MetricPolicy field values."""
    return {
        key: parse(doc, (*path, key), node[key])
        for key, parse in SETTING_PARSERS.items()
        if key in node
    }


def _pair_by(doc: YamlDocument, path: Path_, value: object) -> str:
    if value == PAIR_BY_EXAMPLE or (isinstance(value, str) and is_valid_field_path(value)):
        return value
    raise doc.error(
        path,
        f"must be `example` or a run field such as params.seed, tags.seed or id, not {value!r}",
    )


def _aggregate(doc: YamlDocument, path: Path_, value: object) -> str:
    if isinstance(value, str) and (value in AGGREGATES[:-1] or _MEAN_LAST.match(value)):
        return value
    raise doc.error(
        path,
        "must be one of last, min, max, mean, or mean_last_K (K a whole "
        f"number, such as mean_last_5), not {value!r}",
    )


def field_list(doc: YamlDocument, path: Path_, value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        if not isinstance(item, str) or not is_valid_field_path(item):
            raise doc.error(
                (*path, index) if isinstance(value, list) else path,
                f"must list run fields such as params.dataset, not {item!r}",
            )
    return tuple(str(item) for item in items)


def choice(doc: YamlDocument, path: Path_, value: object, choices: tuple[str, ...]) -> str:
    if isinstance(value, str) and value in choices:
        return value
    hint = did_you_mean(value, choices) if isinstance(value, str) else ""
    raise doc.error(path, f"must be one of {', '.join(choices)}, not {value!r}{hint}")


def _number(doc: YamlDocument, path: Path_, value: object) -> float:
    # YAML 1.1 reads `1e-3` (no dot) as a string, so numeric strings are accepted too.
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise doc.error(path, f"must be a finite number, not {value!r}")
    return number


def _alpha(doc: YamlDocument, path: Path_, value: object) -> float:
    alpha = _number(doc, path, value)
    if not 0 < alpha <= 0.5:
        raise doc.error(
            path, f"must be in (0, 0.5] (a one-sided significance level), not {alpha:g}"
        )
    return alpha


def _tolerance(doc: YamlDocument, path: Path_, value: object) -> Tolerance:
    if isinstance(value, str) and (match := _PERCENT.match(value)):
        return Tolerance(float(match.group(1)) / 100, relative=True)
    if isinstance(value, str) and value.strip().startswith("-"):
        raise doc.error(path, f"a tolerance cannot be negative: {value!r}")
    try:
        number = _number(doc, path, value)
    except PolicyError:
        raise doc.error(
            path,
            "must be a non-negative number (absolute, in the metric's units) "
            f"or a percentage of the baseline mean such as '5%', not {value!r}",
        ) from None
    if number < 0:
        raise doc.error(path, f"a tolerance cannot be negative: {number:g}")
    return Tolerance(number)


def _resamples(doc: YamlDocument, path: Path_, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 1_000_000:
        return value
    raise doc.error(path, f"must be a whole number from 100 to 1000000, not {value!r}")


SETTING_PARSERS: dict[str, Callable[[YamlDocument, Path_, object], object]] = {
    "direction": partial(choice, choices=DIRECTIONS),
    "tolerance": _tolerance,
    "test": partial(choice, choices=TESTS),
    "alpha": _alpha,
    "at_least": _number,
    "at_most": _number,
    "non_finite": partial(choice, choices=NON_FINITE_RULES),
    "resamples": _resamples,
    "mode": partial(choice, choices=MODES),
    "pair_by": _pair_by,
    "statistic": partial(choice, choices=STATISTICS),
    "aggregate": _aggregate,
}
