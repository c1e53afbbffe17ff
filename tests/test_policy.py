from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from gate.errors import PolicyError
from gate.policy import Policy, load_policy
from gate.policy.sources import FilesSpec
from gate.policy.values import Tolerance
from gate.vocabulary import Aggregate


def write_policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Policy:
    return load_policy(write_policy(tmp_path, text))


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(PolicyError) as info:
        load(tmp_path, text)
    return str(info.value)


FULL = """\
version: 1
candidate: runs/pr/
baseline:
  path: [runs/main.jsonl, runs/old.csv]
  where: {tags.branch: main, params.seed: [1, 2]}
  latest: 5
alpha: 0.1
tolerance: 1%
metrics:
  accuracy:
    direction: higher
    tolerance: 0.01
    at_least: 0.5
  latency_ms:
    direction: lower
    tolerance: 5%
    at_most: 250
    test: mannwhitney
    alpha: 0.01
    non_finite: ignore
    resamples: 2000
  loss: {direction: lower}
"""


def test_full_policy_is_read(tmp_path: Path) -> None:
    policy = load(tmp_path, FULL)
    assert policy.alpha == 0.1
    accuracy, latency, loss = policy.metrics
    assert (accuracy.name, accuracy.direction, accuracy.tolerance) == (
        "accuracy",
        "higher",
        Tolerance(0.01),
    )
    assert accuracy.at_least == 0.5 and accuracy.alpha == 0.1 and accuracy.test == "welch"
    assert latency.tolerance == Tolerance(0.05, relative=True)
    assert latency.tolerance.absolute(200.0) == pytest.approx(10.0)
    assert (latency.test, latency.alpha, latency.at_most) == ("mannwhitney", 0.01, 250.0)
    assert (latency.non_finite, latency.resamples) == ("ignore", 2000)
    # Top-level keys are the defaults of every metric.
    assert loss.tolerance == Tolerance(0.01, relative=True) and loss.non_finite == "fail"
    assert isinstance(policy.baseline, FilesSpec)
    assert policy.baseline.path == (tmp_path / "runs/main.jsonl", tmp_path / "runs/old.csv")
    assert policy.baseline.where == (("tags.branch", ("main",)), ("params.seed", ("1", "2")))
    assert policy.baseline.latest == 5
    assert policy.candidate == FilesSpec(path=(tmp_path / "runs/pr/",))


def test_minimal_policy_has_defaults(tmp_path: Path) -> None:
    policy = load(tmp_path, "metrics:\n  acc: {direction: higher}\n")
    (acc,) = policy.metrics
    assert (policy.alpha, acc.tolerance.value, acc.test) == (0.05, 0.0, "welch")
    assert policy.candidate is None and policy.baseline is None


def test_yaml_quirks_are_handled(tmp_path: Path) -> None:
    # `1e-3` is a string in YAML 1.1, and a metric named `on` must not become True.
    policy = load(tmp_path, "alpha: 1e-2\nmetrics:\n  on: {direction: higher, tolerance: 1e-3}\n")
    assert policy.alpha == 0.01
    assert policy.metrics[0].name == "on" and policy.metrics[0].tolerance.value == 0.001


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", r"policy.yml: the policy is empty"),
        ("- a\n- b\n", r"policy.yml:1: the policy must be a mapping"),
        ("metrics: {a: {direction: higher}\n", r"policy.yml:2: not valid YAML"),
        (
            "metrics:\n  a: {direction: higher}\naplha: 0.1\n",
            r"policy.yml:3: aplha: unknown key 'aplha' \(did you mean 'alpha'\?\)",
        ),
        (
            "metrics:\n  a:\n    direction: higher\n    tolerence: 1\n",
            r"policy.yml:4: metrics.a.tolerence: unknown key 'tolerence' "
            r"\(did you mean 'tolerance'\?\)",
        ),
        (
            "metrics:\n  a: {direction: up}\n",
            r"policy.yml:2: metrics.a.direction: must be one of higher, lower, not 'up'",
        ),
        ("metrics:\n  a: {direction: highr}\n", r"did you mean 'higher'"),
        ("metrics:\n  a: {tolerance: 1}\n", r"policy.yml:2: metrics.a: `direction` is required"),
        (
            "alpha: 0\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:1: alpha: must be in \(0, 0.5\]",
        ),
        ("alpha: 0.6\nmetrics:\n  a: {direction: higher}\n", r"alpha: must be in \(0, 0.5\]"),
        (
            "alpha: high\nmetrics:\n  a: {direction: higher}\n",
            r"alpha: must be a finite number, not 'high'",
        ),
        ("alpha: .nan\nmetrics:\n  a: {direction: higher}\n", r"alpha: must be a finite number"),
        (
            "metrics:\n  a: {direction: higher, tolerance: -0.1}\n",
            r"metrics.a.tolerance: a tolerance cannot be negative",
        ),
        (
            "metrics:\n  a: {direction: higher, tolerance: -5%}\n",
            r"metrics.a.tolerance: a tolerance cannot be negative",
        ),
        (
            "metrics:\n  a: {direction: higher, tolerance: lots}\n",
            r"metrics.a.tolerance: must be a non-negative number .* '5%'",
        ),
        ("metrics:\n  a: {direction: higher, tolerance: true}\n", r"metrics.a.tolerance: must be"),
        (
            "metrics:\n  a: {direction: higher, test: prediction}\n",
            r"metrics.a.test: must be one of welch, .*mcnemar, not 'prediction'",
        ),
        (
            "metrics:\n  a: {direction: higher, test: ttest}\n",
            r"metrics.a.test: must be one of welch, bootstrap, mannwhitney",
        ),
        (
            "metrics:\n  a: {direction: higher, at_least: 2, at_most: 1}\n",
            r"metrics.a: `at_least` \(2\) is above `at_most` \(1\)",
        ),
        (
            "metrics:\n  a: {direction: higher, resamples: 5}\n",
            r"metrics.a.resamples: must be a whole number from 100",
        ),
        (
            "metrics:\n  a: {direction: higher, non_finite: drop}\n",
            r"metrics.a.non_finite: must be one of fail, ignore",
        ),
        (
            "version: 2\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:1: version: unsupported policy version 2",
        ),
        ("metrics: {}\n", r"policy.yml:1: metrics: `metrics` must be a non-empty mapping"),
        ("metrics: [accuracy]\n", r"metrics: `metrics` must be a non-empty mapping"),
        (
            "metrics:\n  a: higher\n",
            r"policy.yml:2: metrics.a: a metric's settings must be a mapping",
        ),
        (
            "metrics:\n  a: {direction: higher}\n  a: {direction: lower}\n",
            r"policy.yml:3: metrics.a: duplicate key 'a'",
        ),
        (
            "metrics:\n  a: !!python/object/apply:os.system [echo hi]\n",
            r"policy.yml:2: metrics.a: unsupported YAML tag",
        ),
        (
            "metrics:\n  a: {direction: !!python/name:os.system x}\n",
            r"policy.yml:2: not valid YAML: could not determine a constructor",
        ),
        (
            "candidate: 5\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:1: candidate: must be a path, a list of paths, or a mapping",
        ),
        (
            "baseline: {where: {tags.branch: main}}\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:1: baseline: a source mapping needs one of the keys path",
        ),
        (
            "baseline: {path: r/, latest: 0}\nmetrics:\n  a: {direction: higher}\n",
            r"baseline.latest: must be a whole number of runs, 1 or more",
        ),
        (
            "baseline: {path: r/, lastest: 3}\nmetrics:\n  a: {direction: higher}\n",
            r"baseline.lastest: unknown key 'lastest' \(did you mean 'latest'\?\)",
        ),
        (
            "baseline:\n  path: r/\n  where: {branch: main}\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:3: baseline.where.branch: unknown run field 'branch'",
        ),
        (
            "baseline:\n  path: []\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:2: baseline.path: must be a path or a non-empty list of paths",
        ),
    ],
)
def test_validation_errors_name_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    message = error_of(tmp_path, text)
    assert str(tmp_path) in message
    assert "\n" not in message
    assert re.search(expected, message), message


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="policy file not found"):
        load_policy(tmp_path / "nope.yml")


def test_undecodable_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.yml"
    path.write_bytes(b"metrics:\n  \xff\xfe: {}\n")
    with pytest.raises(PolicyError, match="cannot read the policy"):
        load_policy(path)


def test_environment_variables_are_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUN_DIR", "runs/pr-7")
    monkeypatch.delenv("UNSET_FOR_TEST", raising=False)
    policy = load(
        tmp_path,
        "candidate: ${RUN_DIR}/\nbaseline: ${UNSET_FOR_TEST:-runs/main}\n"
        "metrics:\n  cost$$: {direction: lower}\n",
    )
    assert policy.candidate == FilesSpec(path=(tmp_path / "runs/pr-7/",))
    assert policy.baseline == FilesSpec(path=(tmp_path / "runs/main",))
    assert policy.metrics[0].name == "cost$$"  # keys are names, never expanded


def test_unset_environment_variable_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UNSET_FOR_TEST", raising=False)
    message = error_of(
        tmp_path, "metrics:\n  a: {direction: higher}\nbaseline: runs/${UNSET_FOR_TEST}\n"
    )
    assert re.search(
        r"policy.yml:3: baseline: environment variable UNSET_FOR_TEST is not set", message
    )


BOMB = "".join(
    f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10 if i else ["x"] * 10) + "]\n" for i in range(9)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BOMB + "metrics: {a: {direction: higher}}\n",
            r"policy.yml:\d+: .*more than 100,000 values",
        ),
        ("metrics: {a: {direction: &a [*a]}}\n", r"policy.yml:1: .*nested deeper than 50"),
        ("metrics: " + "[" * 3000 + "]" * 3000 + "\n", r"policy.yml: .*nested deeper than 50"),
        (
            "metrics: {a: {direction: higher, at_least: " + "9" * 5000 + "}}\n",
            r"policy.yml:1: metrics.a.at_least: cannot read this value",
        ),
        (
            "metrics: {a: {direction: higher, at_least: " + "9" * 400 + "}}\n",
            r"policy.yml:1: metrics.a.at_least: must be a finite number",
        ),
        ("metrics:\n  a: {direction: higher}\x00\n", r"policy.yml:2: .*U\+0000 is not allowed"),
    ],
)
def test_hostile_yaml_is_one_line_with_its_place(tmp_path: Path, text: str, expected: str) -> None:
    message = error_of(tmp_path, text)
    assert "\n" not in message and len(message) < 400
    assert re.search(expected, message), message


def test_a_policy_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "policy.yml"
    os.mkfifo(fifo)  # reading it would block until a writer came
    with pytest.raises(PolicyError, match="must be a regular file"):
        load_policy(fifo)


def test_statistics_keys_are_read(tmp_path: Path) -> None:
    policy = load(
        tmp_path,
        "correction: bh\nmatch: [params.dataset, tags.split]\npair_by: params.seed\n"
        "metrics:\n"
        "  acc: {direction: higher, mode: noninferiority}\n"
        "  loss: {direction: lower, aggregate: mean_last_5, test: wilcoxon}\n"
        "  f1: {direction: higher, pair_by: example, test: mcnemar}\n"
        "  lat: {direction: lower, test: paired_bootstrap, statistic: median}\n",
    )
    acc, loss, f1, lat = policy.metrics
    assert policy.correction == "bh" and policy.match == ("params.dataset", "tags.split")
    assert (acc.mode, acc.pair_by, acc.test) == ("noninferiority", "params.seed", "paired_t")
    assert (loss.aggregate, loss.test, loss.needs_history) == (
        Aggregate("mean_last", 5),
        "wilcoxon",
        True,
    )
    assert str(loss.aggregate) == "mean_last_5"
    assert (f1.pair_by, f1.test, f1.needs_history) == ("example", "mcnemar", False)
    assert (lat.statistic, lat.test) == ("median", "paired_bootstrap")
    assert not acc.needs_history


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "metrics:\n  a: {direction: higher, test: paired_t}\n",
            r"policy.yml:2: metrics.a.test: `paired_t` is a paired test: set `pair_by`",
        ),
        (
            "pair_by: params.seed\nmetrics:\n  a: {direction: higher, test: welch}\n",
            r"policy.yml:3: metrics.a.test: `welch` is not a paired test",
        ),
        (
            "pair_by: params.seed\ntest: mcnemar\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:2: test: `mcnemar` compares 0/1 outcomes per example",
        ),
        (
            "metrics:\n  a: {direction: higher, statistic: median}\n",
            r"metrics.a: `statistic` other than mean needs a bootstrap test",
        ),
        (
            "metrics:\n  a: {direction: higher, pair_by: seed}\n",
            r"metrics.a.pair_by: must be `example` or a run field",
        ),
        (
            "metrics:\n  a: {direction: higher, aggregate: median}\n",
            r"metrics.a.aggregate: must be one of last, min, max, mean, or mean_last_K",
        ),
        (
            "metrics:\n  a: {direction: higher, aggregate: mean_last_0}\n",
            r"metrics.a.aggregate: must be one of",
        ),
        (
            "metrics:\n  a: {direction: higher, mode: prove}\n",
            r"metrics.a.mode: must be one of detect, noninferiority",
        ),
        (
            "correction: bonferroni\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:1: correction: must be one of holm, bh, none",
        ),
        (
            "match: [dataset]\nmetrics:\n  a: {direction: higher}\n",
            r"policy.yml:1: match\[0\]: must list run fields such as params.dataset",
        ),
    ],
)
def test_statistics_key_errors(tmp_path: Path, text: str, expected: str) -> None:
    message = error_of(tmp_path, text)
    assert re.search(expected, message), message


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("http://127.0.0.1:abc", r"tracking_uri: not a valid address"),
        ("http://127.0.0.1:99999", r"tracking_uri: not a valid address"),
        ("'http://[::1'", r"tracking_uri: not a valid address"),
        ("http://", r"tracking_uri: names no host"),
        ("databricks", r"tracking_uri: Databricks-hosted MLflow is not supported"),
        ("postgresql://me:s3cret@db/mlflow", r"the scheme postgresql:// is not supported"),
        ("file://me:s3cret@host/mlruns", r"must name a local folder, not 'file://host/mlruns'"),
    ],
)
def test_tracking_addresses_are_checked_without_echoing_passwords(
    tmp_path: Path, uri: str, expected: str
) -> None:
    message = error_of(
        tmp_path,
        f"candidate: {{mlflow: {{tracking_uri: {uri}, experiment: e}}}}\n"
        "metrics: {a: {direction: higher}}\n",
    )
    assert re.search(expected, message), message
    assert "s3cret" not in message


def test_environment_variables_reach_configuration_never_report_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `where:` values are shown in every report: a token there would be posted as a comment.
    monkeypatch.setenv("SECRET_FOR_TEST", "ghp_s3cret")
    monkeypatch.setenv("EXPERIMENT_FOR_TEST", "digits")
    policy = load(
        tmp_path,
        "candidate: {path: runs/, where: {params.seed: ['0', '${SECRET_FOR_TEST}']}}\n"
        "baseline:\n  mlflow:\n    tracking_uri: http://127.0.0.1:9\n"
        "    experiment: ${EXPERIMENT_FOR_TEST}\n"
        "    filter: \"tags.key = '${SECRET_FOR_TEST}'\"\n"
        "metrics: {a: {direction: higher}}\n",
    )
    assert isinstance(policy.candidate, FilesSpec)
    assert policy.candidate.where == (("params.seed", ("0", "${SECRET_FOR_TEST}")),)
    from gate.policy.sources import MlflowSpec
    from gate.sources.open import open_source

    assert isinstance(policy.baseline, MlflowSpec)
    assert policy.baseline.experiment == "digits"  # configuration: expanded
    assert policy.baseline.filter == "tags.key = 'ghp_s3cret'"  # sent to its own server
    described = open_source(policy.baseline).describe()
    assert "ghp_s3cret" not in described and "${SECRET_FOR_TEST}" in described
