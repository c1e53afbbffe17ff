"""A metric's policy: which way is better, how much worse is tolerated, how it is tested.

Every key of ``MetricPolicy`` may also stand at the top of the policy, as the
default for all metrics; a metric's own value wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from gate.policy import values
from gate.policy.pairing_keys import (
    DEFAULT_UNMATCHED,
    UnmatchedLimit,
    shown_examples,
    unmatched_limit,
)
from gate.policy.table import Table, key
from gate.policy.values import NO_TOLERANCE, Tolerance, word
from gate.policy.yamldoc import Path_, YamlDocument
from gate.vocabulary import (
    LAST,
    PAIR_BY_EXAMPLE,
    POLICY_TESTS,
    Aggregate,
    Direction,
    Mode,
    NonFinite,
    Statistic,
    TestName,
)

DEFAULT_ALPHA = 0.05
DEFAULT_RESAMPLES = 10_000


@dataclass(frozen=True)
class MetricPolicy:
    name: str
    # None only beside an lm_eval: source, whose logs say (higher_is_better); see decide
    direction: Direction | None = key(
        word(Direction), default=None, help="`higher` or `lower` (which way is better)"
    )
    tolerance: Tolerance = key(values.tolerance, default=NO_TOLERANCE)
    test: TestName = key(word(TestName, POLICY_TESTS), default=TestName.WELCH)  # or paired_t
    alpha: float = key(values.alpha, default=DEFAULT_ALPHA)
    at_least: float | None = key(values.number, default=None)
    at_most: float | None = key(values.number, default=None)
    non_finite: NonFinite = key(word(NonFinite), default=NonFinite.FAIL)
    resamples: int = key(values.resamples, default=DEFAULT_RESAMPLES)
    mode: Mode = key(word(Mode), default=Mode.DETECT)
    pair_by: str | None = key(values.pair_by, default=None)  # a run field path, or "example"
    statistic: Statistic = key(word(Statistic), default=Statistic.MEAN)
    aggregate: Aggregate = key(values.aggregate, default=LAST)
    max_unmatched: UnmatchedLimit = key(
        unmatched_limit,
        default=DEFAULT_UNMATCHED,
        help="examples paired by key that may be left unpaired (one side only, duplicated, "
        "a different input) before the gate stops: a share ('5%', default) or a count",
    )
    show_examples: int = key(
        shown_examples,
        default=10,
        help="the most changed examples listed each way in the short reports (default 10)",
    )

    @property
    def higher_is_better(self) -> bool:
        return self.direction is Direction.HIGHER

    @property
    def paired(self) -> bool:
        return self.pair_by is not None

    @property
    def needs_history(self) -> bool:
        """Whether a source must fetch the metric's whole history, not just its last value."""
        return self.aggregate != LAST and self.pair_by != PAIR_BY_EXAMPLE


METRIC = Table(
    MetricPolicy,
    example="`{direction: higher, tolerance: 0.01}`",
)


def parse_metric(
    doc: YamlDocument, name: str, node: object, defaults: dict[str, object]
) -> MetricPolicy:
    """The metric ``name`` of ``metrics:``; ``defaults`` are the top level's metric keys."""
    path: Path_ = ("metrics", name)
    if not name.strip():
        raise doc.error(path, "a metric name cannot be empty")
    if not isinstance(node, (dict, type(None))):
        raise doc.error(
            path,
            "a metric's settings must be a mapping such as `{direction: higher, tolerance: 0.01}`",
        )
    own = METRIC.read(doc, path, node or {})
    merged = {**defaults, **own}
    at_least, at_most = merged.get("at_least"), merged.get("at_most")
    if isinstance(at_least, float) and isinstance(at_most, float) and at_least > at_most:
        raise doc.error(path, f"`at_least` ({at_least:g}) is above `at_most` ({at_most:g})")
    _check_test_fits(doc, path, own, merged)
    return METRIC.build(doc, path, merged, name=name)


def _check_test_fits(
    doc: YamlDocument, path: Path_, own: dict[str, object], merged: dict[str, object]
) -> None:
    """Pick the default test for the pairing, and refuse a test that cannot apply."""
    pair_by = merged.get("pair_by")
    where = (*path, "test") if "test" in own else ("test",) if "test" in merged else path
    test = merged.setdefault("test", TestName.WELCH if pair_by is None else TestName.PAIRED_T)
    assert isinstance(test, TestName)
    if pair_by is None and test.paired:
        raise doc.error(
            where,
            f"`{test}` is a paired test: set `pair_by` (a run field such "
            "as params.seed, or `example`), or use welch, bootstrap or mannwhitney",
        )
    if pair_by is not None and not test.paired:
        paired = ", ".join(t.value for t in POLICY_TESTS if t.paired)
        raise doc.error(
            where, f"`{test}` is not a paired test, but `pair_by` is set; use one of {paired}"
        )
    if test is TestName.MCNEMAR and pair_by != PAIR_BY_EXAMPLE:
        raise doc.error(
            where, "`mcnemar` compares 0/1 outcomes per example: it needs `pair_by: example`"
        )
    if merged.get("statistic", Statistic.MEAN) is not Statistic.MEAN and not test.bootstrap:
        raise doc.error(
            path,
            "`statistic` other than mean needs a bootstrap test "
            "(`test: bootstrap` or `paired_bootstrap`)",
        )
