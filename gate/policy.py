"""The policy: which metrics gate, which way is better, and how sure the gate must be.

``parse_policy`` validates everything before any work is done, so a typo in
the policy is reported at once with its file, line and key, never halfway
through a run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from gate.errors import PolicyError
from gate.model import is_valid_field_path
from gate.sources import RunSource
from gate.sources.spec import parse_source
from gate.yamldoc import Path_, YamlDocument, did_you_mean, load_yaml

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

# Keys a metric may set; each may also stand at the top level as the default for all metrics.
METRIC_KEYS = (
    "direction",
    "tolerance",
    "test",
    "alpha",
    "at_least",
    "at_most",
    "non_finite",
    "resamples",
    "mode",
    "pair_by",
    "statistic",
    "aggregate",
)
TOP_LEVEL_KEYS = (
    "version",
    "candidate",
    "baseline",
    "metrics",
    "correction",
    "match",
    *METRIC_KEYS,
)

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


@dataclass(frozen=True)
class MetricPolicy:
    name: str
    direction: str
    tolerance: Tolerance = Tolerance(0.0)
    test: str = "welch"
    alpha: float = DEFAULT_ALPHA
    at_least: float | None = None
    at_most: float | None = None
    non_finite: str = "fail"
    resamples: int = DEFAULT_RESAMPLES
    mode: str = "detect"
    pair_by: str | None = None  # a run field path, or "example"
    statistic: str = "mean"
    aggregate: str = "last"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    @property
    def paired(self) -> bool:
        return self.pair_by is not None

    @property
    def needs_history(self) -> bool:
        """Whether a source must fetch the metric's whole history, not just its last value."""
        return self.aggregate != "last" and self.pair_by != PAIR_BY_EXAMPLE


@dataclass(frozen=True)
class Policy:
    metrics: tuple[MetricPolicy, ...]
    alpha: float = DEFAULT_ALPHA
    correction: str = "holm"
    match: tuple[str, ...] = ()
    version: int = 1
    candidate: RunSource | None = None
    baseline: RunSource | None = None
    source: str = "<policy>"


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file; paths in it are relative to its folder."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PolicyError("policy file not found", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy: {exc}", source=str(path)) from exc
    return parse_policy(load_yaml(text, str(path)), base_dir=path.parent)


def parse_policy(doc: YamlDocument, base_dir: Path) -> Policy:
    top = doc.data
    if top is None:
        raise doc.error((), "the policy is empty; it needs at least a `metrics:` mapping")
    if not isinstance(top, dict):
        raise doc.error((), "the policy must be a mapping of keys such as `metrics:` and `alpha:`")
    _reject_unknown(doc, top, (), TOP_LEVEL_KEYS)

    version = top.get("version", 1)
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise doc.error(
            ("version",),
            f"unsupported policy version {version!r}; this rungate "
            f"reads version {', '.join(map(str, SUPPORTED_VERSIONS))}",
        )

    defaults = _metric_settings(doc, top, ())
    metrics_node = top.get("metrics")
    if not isinstance(metrics_node, dict) or not metrics_node:
        raise doc.error(
            ("metrics",), "`metrics` must be a non-empty mapping of metric names to their settings"
        )
    metrics = tuple(
        _parse_metric(doc, name, settings, defaults) for name, settings in metrics_node.items()
    )
    return Policy(
        metrics=metrics,
        alpha=defaults.get("alpha", DEFAULT_ALPHA),  # type: ignore[arg-type]
        correction=_choice(doc, ("correction",), top.get("correction", "holm"), CORRECTIONS),
        match=_field_list(doc, ("match",), top.get("match", [])),
        version=version,
        candidate=_optional_source(doc, top, "candidate", base_dir),
        baseline=_optional_source(doc, top, "baseline", base_dir),
        source=doc.source,
    )


def _optional_source(
    doc: YamlDocument, top: dict[str, object], key: str, base_dir: Path
) -> RunSource | None:
    node = top.get(key)
    return None if node is None else parse_source(doc, (key,), node, base_dir)


def _parse_metric(
    doc: YamlDocument, name: str, settings: object, defaults: dict[str, object]
) -> MetricPolicy:
    path: Path_ = ("metrics", name)
    if not name.strip():
        raise doc.error(path, "a metric name cannot be empty")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise doc.error(
            path,
            "a metric's settings must be a mapping such as `{direction: higher, tolerance: 0.01}`",
        )
    _reject_unknown(doc, settings, path, METRIC_KEYS)
    merged = {**defaults, **_metric_settings(doc, settings, path)}
    if "direction" not in merged:
        raise doc.error(path, "`direction` is required: `higher` or `lower` (which way is better)")
    at_least, at_most = merged.get("at_least"), merged.get("at_most")
    if isinstance(at_least, float) and isinstance(at_most, float) and at_least > at_most:
        raise doc.error(path, f"`at_least` ({at_least:g}) is above `at_most` ({at_most:g})")
    _check_test_fits(doc, path, settings, merged)
    return MetricPolicy(name=name, **merged)  # type: ignore[arg-type]


def _check_test_fits(
    doc: YamlDocument, path: Path_, own: dict[str, object], merged: dict[str, object]
) -> None:
    """Pick the default test for the pairing, and refuse a test that cannot apply."""
    pair_by = merged.get("pair_by")
    where = (*path, "test") if "test" in own else ("test",) if "test" in merged else path
    if "test" not in merged:
        merged["test"] = "welch" if pair_by is None else "paired_t"
    test = merged["test"]
    if pair_by is None and test in PAIRED_TESTS:
        raise doc.error(
            where,
            f"`{test}` is a paired test: set `pair_by` (a run field such "
            "as params.seed, or `example`), or use welch, bootstrap or mannwhitney",
        )
    if pair_by is not None and test in UNPAIRED_TESTS:
        raise doc.error(
            where,
            f"`{test}` is not a paired test, but `pair_by` is set; use one "
            f"of {', '.join(PAIRED_TESTS)}",
        )
    if test == "mcnemar" and pair_by != PAIR_BY_EXAMPLE:
        raise doc.error(
            where, "`mcnemar` compares 0/1 outcomes per example: it needs `pair_by: example`"
        )
    if merged.get("statistic", "mean") != "mean" and test not in ("bootstrap", "paired_bootstrap"):
        raise doc.error(
            path,
            "`statistic` other than mean needs a bootstrap test "
            "(`test: bootstrap` or `paired_bootstrap`)",
        )


def _metric_settings(doc: YamlDocument, node: dict[str, object], path: Path_) -> dict[str, object]:
    """Validate the metric keys present in ``node`` into MetricPolicy field values."""
    return {
        key: parse(doc, (*path, key), node[key])
        for key, parse in _SETTING_PARSERS.items()
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


def _field_list(doc: YamlDocument, path: Path_, value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        if not isinstance(item, str) or not is_valid_field_path(item):
            raise doc.error(
                (*path, index) if isinstance(value, list) else path,
                f"must list run fields such as params.dataset, not {item!r}",
            )
    return tuple(str(item) for item in items)


def _reject_unknown(
    doc: YamlDocument, node: dict[str, object], path: Path_, allowed: tuple[str, ...]
) -> None:
    for key in node:
        if key not in allowed:
            raise doc.error(
                (*path, key),
                f"unknown key {key!r}{did_you_mean(key, allowed)}; "
                f"allowed here: {', '.join(allowed)}",
            )


def _choice(doc: YamlDocument, path: Path_, value: object, choices: tuple[str, ...]) -> str:
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


_SETTING_PARSERS: dict[str, Callable[[YamlDocument, Path_, object], object]] = {
    "direction": partial(_choice, choices=DIRECTIONS),
    "tolerance": _tolerance,
    "test": partial(_choice, choices=TESTS),
    "alpha": _alpha,
    "at_least": _number,
    "at_most": _number,
    "non_finite": partial(_choice, choices=NON_FINITE_RULES),
    "resamples": _resamples,
    "mode": partial(_choice, choices=MODES),
    "pair_by": _pair_by,
    "statistic": partial(_choice, choices=STATISTICS),
    "aggregate": _aggregate,
}
