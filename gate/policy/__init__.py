"""The policy: which metrics gate, which way is better, and how sure the gate must be.

``parse_policy`` validates everything before any work is done, so a typo in
the policy is reported at once with its file, line and key, never halfway
through a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gate.errors import PolicyError
from gate.policy.values import (
    CORRECTIONS,
    DEFAULT_ALPHA,
    DEFAULT_RESAMPLES,
    NO_TOLERANCE,
    PAIR_BY_EXAMPLE,
    PAIRED_TESTS,
    SUPPORTED_VERSIONS,
    UNPAIRED_TESTS,
    Tolerance,
    choice,
    field_list,
    metric_settings,
)
from gate.policy.yamldoc import Path_, YamlDocument, load_yaml, only_keys
from gate.sources import RunSource
from gate.sources.spec import parse_source

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


@dataclass(frozen=True)
class MetricPolicy:
    name: str
    direction: str
    tolerance: Tolerance = NO_TOLERANCE
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
    only_keys(doc, (), top, TOP_LEVEL_KEYS)

    version = top.get("version", 1)
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise doc.error(
            ("version",),
            f"unsupported policy version {version!r}; this rungate "
            f"reads version {', '.join(map(str, SUPPORTED_VERSIONS))}",
        )

    defaults = metric_settings(doc, top, ())
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
        correction=choice(doc, ("correction",), top.get("correction", "holm"), CORRECTIONS),
        match=field_list(doc, ("match",), top.get("match", [])),
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
    only_keys(doc, path, settings, METRIC_KEYS)
    merged = {**defaults, **metric_settings(doc, settings, path)}
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
