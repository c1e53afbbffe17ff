from __future__ import annotations

import numpy as np
import pytest
from support.keyed_runs import METRIC, example_ids, flipped, keyed_run, side
from support.policies import metric

from gate.decide import decide
from gate.errors import RunSetError
from gate.model import Run, RunSet
from gate.policy import Policy
from gate.result import MetricResult, Verdict
from gate.vocabulary import TestName


def judged(candidate: RunSet, baseline: RunSet, **settings: object) -> MetricResult:
    settings.setdefault("test", "paired_t")  # as a policy file's pair_by makes the default
    spec = metric(METRIC, pair_by="example", **settings)
    return decide(Policy(metrics=(spec,)), candidate, baseline).metrics[0]


@pytest.mark.parametrize("test", ["paired_t", "mcnemar"])
def test_worse_on_three_percent_of_2000_examples_fails(test: str) -> None:
    base, cand = flipped(2000, worse=60, better=0)
    keys = example_ids(2000)
    result = judged(
        side(keyed_run("pr", keys, cand)), side(keyed_run("main", keys, base)), test=test
    )
    assert result.verdict is Verdict.REGRESSION and result.fails_gate
    assert result.test is TestName(test)
    assert result.pairs == 2000
    assert result.delta == pytest.approx(-0.03)
    assert result.ci_high is not None and result.ci_high < 0
    evidence = result.examples
    assert evidence is not None
    assert (evidence.worse, evidence.better, evidence.examples) == (60, 0, 2000)
    assert evidence.binary
    assert len(evidence.changes) == 60 and len(evidence.most_worse()) == 10
    assert evidence.most_better() == ()


@pytest.mark.parametrize("test", ["paired_t", "mcnemar"])
def test_as_many_flips_each_way_passes(test: str) -> None:
    base, cand = flipped(2000, worse=30, better=30)
    keys = example_ids(2000)
    result = judged(
        side(keyed_run("pr", keys, cand)), side(keyed_run("main", keys, base)), test=test
    )
    assert result.verdict is Verdict.PASS and not result.fails_gate
    assert result.examples is not None
    assert (result.examples.worse, result.examples.better) == (30, 30)


def test_pairs_by_key_not_by_position() -> None:
    # The candidate's log lists the examples in another order: by position nothing would
    # match; by key every example is unchanged.
    base, _ = flipped(500, worse=0, better=0)
    keys = example_ids(500)
    order = np.random.default_rng(3).permutation(500)
    result = judged(
        side(keyed_run("pr", [keys[i] for i in order], [base[i] for i in order])),
        side(keyed_run("main", keys, base)),
    )
    assert result.examples is not None
    assert (result.examples.worse, result.examples.better, result.examples.examples) == (0, 0, 500)
    assert result.delta == 0.0


def test_unmatched_examples_are_counted_listed_and_left_out() -> None:
    keys = example_ids(200)
    base = [1.0] * 200
    cand_keys = [*keys[2:], "new-1"]  # q0, q1 only in the baseline; new-1 only in the candidate
    cand = [1.0] * 198 + [0.0]
    hashes_base = ["h"] * 200
    hashes_cand = ["h"] * 199
    hashes_cand[5] = "other"  # q7 evaluated over a different input
    dup_keys = [*cand_keys, "q9"]  # q9 twice in one run, same repeat
    result = judged(
        side(keyed_run("pr", dup_keys, [*cand, 0.0], hashes=[*hashes_cand, "h"])),
        side(keyed_run("main", keys, base, hashes=hashes_base)),
    )
    evidence = result.examples
    assert evidence is not None
    assert evidence.only_candidate.count == 1 and evidence.only_candidate.first == ("new-1",)
    assert evidence.only_baseline.count == 2 and evidence.only_baseline.first == ("q0", "q1")
    assert evidence.duplicated.first == ("q9",)
    assert evidence.hash_mismatch.first == ("q7",)
    assert evidence.excluded == 5 and evidence.total == 201
    # The duplicated q9 (scored 0 once) is not paired: nothing got worse.
    assert (evidence.examples, evidence.worse) == (196, 0)
    assert result.pairs == 196
    assert any("5 of 201 examples could not be paired" in note for note in result.notes)


def test_too_many_unmatched_examples_stop_the_gate() -> None:
    keys = example_ids(100)
    candidate = side(keyed_run("pr", keys[:90], [1.0] * 90))
    baseline = side(keyed_run("main", keys[5:], [1.0] * 95))
    with pytest.raises(RunSetError, match=r"15 of 100 \(15%\) could not be paired") as err:
        judged(candidate, baseline)
    message = str(err.value)
    assert METRIC in message and "5 only in the candidate" in message
    assert "10 only in the baseline" in message and "max_unmatched: 5%" in message
    assert judged(candidate, baseline, max_unmatched=15).examples is not None
    assert judged(candidate, baseline, max_unmatched="20%").pairs == 85
    with pytest.raises(RunSetError):
        judged(candidate, baseline, max_unmatched=0.1)


def keyed_runs(name: str, keys: list[str], rng: np.random.Generator, runs: int) -> list[Run]:
    """``runs`` runs over ``keys``, each example scored in 3 repeats (inspect's epochs)."""
    return [
        keyed_run(
            f"{name}-{seed}",
            [key for key in keys for _ in range(3)],
            (rng.random(3 * len(keys)) < 0.8).astype(float).tolist(),
            repeats=[r for _ in keys for r in range(3)],
        )
        for seed in range(runs)
    ]


def test_repeats_are_averaged_within_an_example() -> None:
    keys = example_ids(300)
    rng = np.random.default_rng(5)
    base_runs, cand_runs = keyed_runs("main", keys, rng, 1), keyed_runs("pr", keys, rng, 1)
    result = judged(side(*cand_runs), side(*base_runs), test="mcnemar")
    evidence = result.examples
    assert evidence is not None
    assert (evidence.candidate_repeats, evidence.candidate_runs) == (3, 1)
    assert evidence.examples == 300 and not evidence.binary
    assert result.pairs == 300  # one paired difference an example, not 900
    assert result.test is TestName.PAIRED_T  # shares of 3 outcomes are not 0/1
    assert any("averaged over its repeats" in note for note in result.notes)
    expected = np.mean(cand_runs[0].examples[METRIC].scores)
    assert result.candidate.mean == pytest.approx(expected)


def test_several_runs_a_side_count_once_each() -> None:
    # A run's seed shifts all of its examples together: the runs are the units tested.
    keys = example_ids(300)
    rng = np.random.default_rng(5)
    base_runs, cand_runs = keyed_runs("main", keys, rng, 2), keyed_runs("pr", keys, rng, 3)
    result = judged(side(*cand_runs), side(*base_runs), test="mcnemar")
    evidence = result.examples
    assert evidence is not None and evidence.examples == 300
    assert (evidence.candidate_runs, evidence.baseline_runs) == (3, 2)
    assert result.test is TestName.WELCH and result.pairs is None
    assert (result.candidate.n, result.baseline.n) == (3, 2)
    assert any("each run counts once" in note for note in result.notes)
    expected = np.mean([np.mean(run.examples[METRIC].scores) for run in cand_runs])
    assert result.candidate.mean == pytest.approx(expected)


def test_mcnemar_refuses_scores_that_are_not_outcomes() -> None:
    keys = example_ids(10)
    with pytest.raises(RunSetError, match="all 0 or 1"):
        judged(
            side(keyed_run("pr", keys, [0.5] * 10)),
            side(keyed_run("main", keys, [1.0] * 10)),
            test="mcnemar",
        )


def test_changes_are_ordered_by_direction_with_excerpts() -> None:
    keys = ["a", "b", "c", "d"]
    result = judged(
        side(keyed_run("pr", keys, [0.2, 0.9, 0.5, 0.4], excerpts=["A", "B", "", "D"])),
        side(keyed_run("main", keys, [0.5, 0.5, 0.5, 0.5])),
        direction="lower",
        show_examples=1,
    )
    evidence = result.examples
    assert evidence is not None
    # Lower is better: b rose most (worst), a fell most (best); c did not change.
    assert [change.key for change in evidence.changes] == ["b", "d", "a"]
    assert evidence.changes[0].excerpt == "B"
    assert [change.key for change in evidence.most_worse()] == ["b"]
    assert [change.key for change in evidence.most_better()] == ["a"]
    assert (evidence.worse, evidence.better, evidence.unchanged) == (1, 2, 1)


def test_without_keyed_scores_on_a_side_the_positional_form_stays() -> None:
    spec = metric("m", pair_by="example")
    cand = RunSet((Run("pr", {}, series={"m": (1.0, 0.0, 1.0)}),), "pr")
    base = RunSet((Run("main", {}, series={"m": (1.0, 1.0, 1.0)}),), "main")
    result = decide(Policy(metrics=(spec,)), cand, base).metrics[0]
    assert result.examples is None and result.pairs == 3


def test_keyed_scores_on_one_side_only_are_said() -> None:
    spec = metric(METRIC, pair_by="example", test="paired_t")
    cand = side(keyed_run("pr", ["a", "b"], [1.0, 0.0]))
    base = RunSet((Run("main", {}, series={METRIC: (1.0, 1.0)}),), "main")
    result = decide(Policy(metrics=(spec,)), cand, base).metrics[0]
    assert result.examples is None
    assert any("only the candidate's runs name their examples" in note for note in result.notes)
