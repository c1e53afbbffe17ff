"""The core's later features: correction, non-inferiority, pairing, series, match, power."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.policies import metric

from gate.decide import decide
from gate.errors import RunSetError
from gate.model import Run, RunSet
from gate.policy import MetricPolicy, Policy
from gate.policy.values import Tolerance
from gate.result import MetricResult, Verdict
from gate.vocabulary import Correction


def run_set(name: str, rows: list[dict[str, float]], **extra: object) -> RunSet:
    return RunSet(
        tuple(
            Run(id=f"{name}{i}", metrics=row, **extra)  # type: ignore[arg-type]
            for i, row in enumerate(rows)
        ),
        name,
    )


def seeded(name: str, values: list[float], metric: str = "m") -> RunSet:
    return RunSet(
        tuple(
            Run(id=f"{name}{i}", metrics={metric: v}, params={"seed": str(i)})
            for i, v in enumerate(values)
        ),
        name,
    )


def one(spec: MetricPolicy, cand: RunSet, base: RunSet, **policy: object) -> MetricResult:
    return decide(Policy(metrics=(spec,), **policy), cand, base).metrics[0]  # type: ignore[arg-type]


BASE = [0.90, 0.91, 0.92, 0.91, 0.90]


def test_holm_correction_decides_on_adjusted_p_values() -> None:
    # Four metrics: "a" drops by a margin significant alone, but not after Holm over four;
    # the other three do not change at all (p = 1).
    names = ["a", "b", "c", "d"]
    base_rows = [{n: v for n in names} for v in BASE]
    cand_rows = [{**row, "a": row["a"] - 0.012} for row in base_rows]
    specs = tuple(metric(n) for n in names)
    cand, base = run_set("c", cand_rows), run_set("b", base_rows)
    uncorrected = decide(Policy(metrics=specs, correction=Correction.NONE), cand, base)
    holm = decide(Policy(metrics=specs, correction=Correction.HOLM), cand, base)
    a_raw, a_holm = uncorrected.metrics[0], holm.metrics[0]
    assert a_raw.p_value is not None and 0.0125 < a_raw.p_value <= 0.05  # the premise
    assert a_holm.p_value == a_raw.p_value  # the raw p is the same ...
    assert a_holm.p_adjusted == pytest.approx(4 * a_raw.p_value)  # ... Holm's is m times it
    assert a_raw.verdict is Verdict.REGRESSION and not uncorrected.passed
    assert a_holm.verdict is Verdict.INCONCLUSIVE and holm.passed
    assert (a_raw.correction, a_holm.correction, holm.correction) == ("none", "holm", "holm")
    assert a_raw.p_adjusted == a_raw.p_value
    assert [m.p_adjusted for m in holm.metrics[1:]] == [1.0, 1.0, 1.0]


def test_a_single_metric_is_not_corrected() -> None:
    result = one(metric("m"), seeded("c", [0.85, 0.86, 0.84]), seeded("b", BASE))
    assert result.correction == "none" and result.p_adjusted == result.p_value


def test_noninferiority_needs_evidence() -> None:
    spec = metric("m", tolerance=Tolerance(0.02), mode="noninferiority")
    close = one(spec, seeded("c", [0.905, 0.91, 0.915, 0.905, 0.91]), seeded("b", BASE))
    assert close.verdict is Verdict.PASS and not close.fails_gate
    assert close.p_noninferior is not None and close.p_noninferior <= 0.05
    assert "shown not worse than the tolerance" in close.reasons[0]
    noisy = one(spec, seeded("c", [0.78, 0.95, 0.80, 0.90]), seeded("b", BASE))
    assert noisy.verdict is Verdict.INCONCLUSIVE and noisy.fails_gate
    thin = one(spec, seeded("c", [0.91]), seeded("b", [0.91]))
    assert thin.verdict is Verdict.INSUFFICIENT and thin.fails_gate
    # One run against a history is evidence: the prediction test can show non-inferiority.
    history = one(spec, seeded("c", [0.91]), seeded("b", BASE))
    assert history.test == "prediction" and history.verdict is Verdict.PASS
    gate = decide(Policy(metrics=(spec,)), seeded("c", [0.78, 0.95, 0.80, 0.90]), seeded("b", BASE))
    assert not gate.passed


def test_detect_mode_lets_inconclusive_pass() -> None:
    spec = metric("m", tolerance=Tolerance(0.02))
    noisy = one(spec, seeded("c", [0.78, 0.95, 0.80, 0.90]), seeded("b", BASE))
    assert noisy.verdict is Verdict.INCONCLUSIVE and not noisy.fails_gate


def test_pairing_by_seed_matches_runs_and_finds_a_consistent_drop() -> None:
    # A large seed effect hides the drop from Welch; pairing by seed reveals it.
    seed_effect = [0.0, 0.05, -0.04, 0.08, -0.06, 0.03]
    base = [0.9 + e for e in seed_effect]
    cand = [
        b - 0.01 + d for b, d in zip(base, [0.001, -0.001, 0.0, 0.002, -0.002, 0.001], strict=True)
    ]
    # Shuffle the candidate's run order: pairing goes by the seed, not the position.
    cand_set = RunSet(
        tuple(Run(f"c{i}", {"m": cand[i]}, {"seed": str(i)}) for i in (3, 1, 5, 0, 2, 4)), "c"
    )
    paired = one(
        metric("m", pair_by="params.seed", test="paired_t"),
        cand_set,
        seeded("b", base),
    )
    unpaired = one(metric("m"), cand_set, seeded("b", base))
    assert paired.verdict is Verdict.REGRESSION and paired.test == "paired_t"
    assert paired.paired_by == "params.seed" and paired.pairs == 6
    assert unpaired.verdict is not Verdict.REGRESSION


def test_mismatched_pairs_are_an_input_error() -> None:
    spec = metric("m", pair_by="params.seed", test="paired_t")
    with pytest.raises(RunSetError, match=r"only in the candidate: '5'; only in the baseline: '4'"):
        one(
            spec,
            RunSet(tuple(Run(f"c{i}", {"m": 0.9}, {"seed": str(i)}) for i in (0, 1, 2, 3, 5)), "c"),
            seeded("b", BASE),
        )
    twice = RunSet((Run("x", {"m": 1.0}, {"seed": "1"}), Run("y", {"m": 1.0}, {"seed": "1"})), "c")
    with pytest.raises(RunSetError, match=r"candidate runs 'x' and 'y' share params.seed = '1'"):
        one(spec, twice, seeded("b", BASE))
    unseeded = RunSet((Run("x", {"m": 1.0}),), "c")
    with pytest.raises(RunSetError, match=r"candidate run 'x' has no params.seed"):
        one(spec, unseeded, seeded("b", BASE))


def test_per_example_scores_are_paired_by_position() -> None:
    rng = np.random.default_rng(1)
    base_scores = tuple(float(v) for v in (rng.random(2000) < 0.85))
    cand_scores = list(base_scores)
    for i in range(0, 2000, 25):  # lose 80 examples the baseline got right
        if cand_scores[i] == 1.0:
            cand_scores[i] = 0.0
    cand = RunSet((Run("c", {}, series={"acc": tuple(cand_scores)}),), "c")
    base = RunSet((Run("b", {}, series={"acc": base_scores}),), "b")
    for test in ("paired_t", "mcnemar"):
        result = one(metric("acc", pair_by="example", test=test), cand, base)
        assert result.verdict is Verdict.REGRESSION, test
        assert result.paired_by == "example" and result.pairs == 2000
        assert result.candidate.mean == pytest.approx(np.mean(cand_scores))
        assert result.runs_needed is None
    short = RunSet((Run("c", {}, series={"acc": (1.0, 0.0)}),), "c")
    with pytest.raises(RunSetError, match="has 2 scores and baseline run 'b' has 2000"):
        one(metric("acc", pair_by="example", test="paired_t"), short, base)


def test_mcnemar_refuses_scores_that_are_not_zero_or_one() -> None:
    # The statistics receive validated data: the check, naming the metric, comes first.
    cand = RunSet((Run("c", {}, series={"acc": (0.5, 1.0, math.nan)}),), "c")
    base = RunSet((Run("b", {}, series={"acc": (1.0, 1.0, 0.0)}),), "b")
    with pytest.raises(RunSetError, match=r"metric 'acc' uses `test: mcnemar`.*all 0 or 1"):
        one(metric("acc", pair_by="example", test="mcnemar"), cand, base)
    diverged = RunSet((Run("c", {}, series={"acc": (0.0, 1.0, math.nan)}),), "c")
    assert one(metric("acc", pair_by="example", test="mcnemar"), diverged, base).pairs == 3


def test_several_runs_with_per_example_scores_count_each_run_once() -> None:
    def side(name: str, means: list[float]) -> RunSet:
        return RunSet(
            tuple(
                Run(f"{name}{i}", {}, series={"acc": (m - 0.1, m + 0.1)})
                for i, m in enumerate(means)
            ),
            name,
        )

    result = one(
        metric("acc", pair_by="example", test="paired_t"),
        side("c", [0.80, 0.81, 0.79]),
        side("b", [0.90, 0.91, 0.89]),
    )
    assert result.test == "welch" and result.paired_by is None
    assert result.candidate.n == 3  # three runs, not six examples
    assert any("averaged" in note for note in result.notes)


@pytest.mark.parametrize(
    ("how", "expected"),
    [("last", 0.5), ("min", 0.2), ("max", 0.9), ("mean", 0.52), ("mean_last_2", 0.35)],
)
def test_histories_are_aggregated(how: str, expected: float) -> None:
    history = (0.9, 0.6, 0.4, 0.2, 0.5)
    side = RunSet(
        (Run("r1", {}, series={"loss": history}), Run("r2", {}, series={"loss": history})), "s"
    )
    result = one(metric("loss", "lower", aggregate=how), side, side)
    assert result.candidate.mean == pytest.approx(expected)


def test_a_diverged_history_stays_diverged() -> None:
    history = (0.9, 0.6, math.nan)
    cand = RunSet(
        (Run("r1", {}, series={"loss": history}), Run("r2", {}, series={"loss": history})), "c"
    )
    base = run_set("b", [{"loss": 0.5}, {"loss": 0.6}])
    result = one(metric("loss", "lower", aggregate="min"), cand, base)
    assert result.verdict is Verdict.REGRESSION and result.candidate.non_finite == 2


def test_match_fields_must_agree() -> None:
    def side(name: str, dataset: str) -> RunSet:
        return RunSet(
            tuple(Run(f"{name}{i}", {"m": 0.9}, {"dataset": dataset}) for i in range(3)), name
        )

    spec = metric("m")
    with pytest.raises(RunSetError, match=r"params.dataset: baseline v1; candidate v2"):
        decide(Policy(metrics=(spec,), match=("params.dataset",)), side("c", "v2"), side("b", "v1"))
    result = decide(
        Policy(metrics=(spec,), match=("params.dataset",)), side("c", "v1"), side("b", "v1")
    )
    assert result.passed


def test_environment_tags_that_differ_are_listed() -> None:
    def side(name: str, torch: str) -> RunSet:
        return RunSet(
            tuple(
                Run(f"{name}{i}", {"m": 0.9}, tags={"torch": torch, "run_name": f"{name}{i}"})
                for i in range(3)
            ),
            name,
        )

    result = decide(Policy(metrics=(metric("m"),)), side("c", "2.5"), side("b", "2.4"))
    assert [(d.name, d.baseline, d.candidate) for d in result.param_differences] == [
        ("tags.torch", ("2.4",), ("2.5",))
    ]  # run names differ per run and are left out


def test_a_pass_says_what_it_could_have_missed() -> None:
    result = one(
        metric("m", tolerance=Tolerance(0.01)),
        seeded("c", [0.905, 0.91, 0.915, 0.905, 0.91]),
        seeded("b", BASE),
    )
    assert result.verdict is Verdict.PASS
    assert result.detectable_drop is not None and result.detectable_drop > 0.01
    assert result.runs_needed is not None and result.runs_needed >= 2
    regression = one(metric("m"), seeded("c", [0.8, 0.81, 0.8]), seeded("b", BASE))
    assert regression.detectable_drop is None


@pytest.mark.parametrize(
    ("test", "pair_by"),
    [
        ("welch", None),
        ("bootstrap", None),
        ("mannwhitney", None),
        ("paired_t", "params.seed"),
        ("wilcoxon", "params.seed"),
        ("signflip", "params.seed"),
    ],
)
def test_verdicts_do_not_depend_on_the_units(test: str, pair_by: str | None) -> None:
    # The same data in seconds or in picoseconds: the same verdict, finite bounds.
    cand = [2.0, 2.1, 2.05, 1.95, 2.02, 2.08, 1.99, 2.03]
    base = [2.9, 2.95, 2.85, 2.92, 2.88, 2.91, 2.94, 2.87]
    verdicts = set()
    for factor in (1e-12, 1.0, 1e6, 1e150):
        settings: dict[str, object] = {"test": test, "tolerance": Tolerance(0.05 * factor)}
        if pair_by:
            settings["pair_by"] = pair_by
        spec = metric("m", "lower", **settings)
        result = one(
            spec, seeded("c", [v * factor for v in cand]), seeded("b", [v * factor for v in base])
        )
        verdicts.add(result.verdict)
        assert result.ci_low is not None and result.ci_high is not None
        assert result.p_value is not None and not math.isnan(result.p_value)
    assert verdicts == {Verdict.IMPROVEMENT}


def test_huge_finite_values_are_judged_not_lost() -> None:
    # The means are finite, but their variances overflow a float: the verdict must still
    # come from a test, never from a NaN (and no numpy warning may reach stderr).
    result = one(
        metric("loss", "lower"),
        seeded("c", [1e155, 2e155, 3e155], metric="loss"),
        seeded("b", [1.0, 1.1, 0.9], metric="loss"),
    )
    assert result.verdict is Verdict.REGRESSION
    assert result.p_value is not None and result.p_value < 0.05
    assert result.candidate.sd == pytest.approx(1e155)


def test_a_test_that_cannot_reject_claims_no_detectable_drop() -> None:
    # Mann-Whitney with 2 runs a side: its smallest p is 1/6, so it can flag nothing.
    cand, base = seeded("c", [0.89, 0.9]), seeded("b", [0.9, 0.91])
    result = one(metric("m", test="mannwhitney"), cand, base)
    assert result.detectable_drop is None
    assert result.runs_needed == 3  # 1 / C(6, 3) = 0.05 <= alpha
    assert any("cannot flag this metric at all; 3 runs a side could" in n for n in result.notes)
    wilcoxon = one(
        metric("m", test="wilcoxon", pair_by="params.seed"),
        seeded("c", [0.9, 0.91, 0.9, 0.92]),
        seeded("b", [0.9, 0.9, 0.91, 0.91]),
    )
    assert wilcoxon.detectable_drop is None and wilcoxon.runs_needed == 5  # 1/2^5 <= 0.05


def test_noninferiority_over_many_metrics_is_not_corrected() -> None:
    # Every metric must be shown within the tolerance for the gate to pass: an
    # intersection-union test, which holds its level with each metric at alpha.
    names = ["a", "b", "c", "d", "e"]
    rows = [{n: v for n in names} for v in BASE]
    cand_rows = [{n: v + 0.003 for n, v in row.items()} for row in rows]
    specs = tuple(metric(n, tolerance=Tolerance(0.01), mode="noninferiority") for n in names)
    gate = decide(Policy(metrics=specs), run_set("c", cand_rows), run_set("b", rows))
    raw = gate.metrics[0].p_noninferior
    assert raw is not None and 0.01 < raw <= 0.05  # below alpha, above alpha / 5
    assert gate.passed and all(m.verdict is Verdict.PASS for m in gate.metrics)
    assert all(m.p_noninferior_adjusted == m.p_noninferior for m in gate.metrics)


def test_no_spread_in_a_few_discrete_values_proves_nothing() -> None:
    # Accuracy 1.0 twice a side: no spread was seen, but two runs cannot show that none
    # exists (this gave .058 false passes at the margin in non-inferiority mode).
    spec = metric("acc", tolerance=Tolerance(0.01), mode="noninferiority")
    few = one(spec, seeded("c", [1.0, 1.0], metric="acc"), seeded("b", [1.0, 1.0], metric="acc"))
    assert few.verdict is Verdict.INCONCLUSIVE and few.fails_gate
    assert any("no spread at all in 2 values" in note for note in few.notes)
    many = one(spec, seeded("c", [1.0] * 10, metric="acc"), seeded("b", [1.0] * 10, metric="acc"))
    assert many.verdict is Verdict.PASS
    # Constant sides that differ beyond the tolerance are still a regression.
    drop = one(spec, seeded("c", [0.9, 0.9], metric="acc"), seeded("b", [1.0, 1.0], metric="acc"))
    assert drop.verdict is Verdict.REGRESSION


def test_a_rank_tests_interval_names_the_estimate_it_is_about() -> None:
    # The Δ column is a difference of means; Mann-Whitney's interval is about a shift.
    cand = seeded("c", [0.80, 0.81, 0.82, 0.95, 0.79, 0.80])
    base = seeded("b", [0.90, 0.91, 0.92, 0.90, 0.91, 0.93])
    result = one(metric("m", test="mannwhitney"), cand, base)
    assert result.estimate_name == "location shift (Hodges-Lehmann)"
    assert result.estimate is not None and result.delta is not None
    assert result.estimate != pytest.approx(result.delta)  # they are different numbers
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low <= result.estimate <= result.ci_high  # the interval is about it
    assert one(metric("m"), cand, base).estimate_name is None  # Welch: about Δ itself


def _differences_by_definition(
    candidate: list[Run], baseline: list[Run]
) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The parameters table as first written: every name looked up in every run."""
    from gate.matching import NOT_SET

    def values(runs: list[Run], field: str) -> tuple[str, ...]:
        return tuple(sorted({run.field_value(field) or NOT_SET for run in runs}))

    found = []
    for name in sorted({n for run in (*candidate, *baseline) for n in run.params}):
        if "seed" not in name.lower():
            cand, base = values(candidate, f"params.{name}"), values(baseline, f"params.{name}")
            if cand != base:
                found.append((name, base, cand))
    for name in sorted({n for run in (*candidate, *baseline) for n in run.tags}):
        cand, base = values(candidate, f"tags.{name}"), values(baseline, f"tags.{name}")
        if cand != base and len(cand) == 1 and len(base) == 1:
            found.append((f"tags.{name}", base, cand))
    return found


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(
                st.sampled_from(["lr", "seed", "opt", "x"]), st.sampled_from(["", "1", "2"])
            ),
            st.dictionaries(st.sampled_from(["commit", "host"]), st.sampled_from(["", "a", "b"])),
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 5),
)
def test_the_parameters_table_is_linear_and_unchanged(
    rows: list[tuple[dict[str, str], dict[str, str]]], split: int
) -> None:
    from gate.matching import field_differences

    runs = [Run(f"r{i}", {"m": 1.0}, params=p, tags=t) for i, (p, t) in enumerate(rows)]
    cut = max(1, split % len(runs))  # both sides get at least one run
    candidate, baseline = runs[:cut], runs[cut:] or runs
    found = [(d.name, d.baseline, d.candidate) for d in field_differences(candidate, baseline)]
    assert found == _differences_by_definition(candidate, baseline)
