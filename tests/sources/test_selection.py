"""Selecting runs by field values and recency."""

from __future__ import annotations

import pytest

from gate.errors import RunSetError
from gate.model import Run
from gate.sources.selection import describe_selection, select_runs


def run(
    run_id: str,
    *,
    branch: str | None = None,
    lr: str | None = None,
    start: float | None = None,
    acc: float = 0.5,
) -> Run:
    tags = {} if branch is None else {"branch": branch}
    params = {} if lr is None else {"lr": lr}
    return Run(
        id=run_id,
        metrics={"acc": acc},
        params=params,
        tags=tags,
        start_time=start,
        origin=f"runs.json, run {run_id}",
    )


def ids(runs: list[Run]) -> list[str]:
    return [selected.id for selected in runs]


RUNS = [
    run("a", branch="main", lr="0.1"),
    run("b", branch="dev", lr="0.1"),
    run("c", branch="main", lr="0.01"),
    run("d", branch="feature", lr="0.1"),
    run("e"),
]


def test_no_selection_keeps_every_run_in_order() -> None:
    assert ids(select_runs(RUNS, where={}, latest=None, source="s")) == ["a", "b", "c", "d", "e"]


def test_where_one_value() -> None:
    selected = select_runs(RUNS, where={"tags.branch": ("main",)}, latest=None, source="s")
    assert ids(selected) == ["a", "c"]


def test_where_many_values() -> None:
    where = {"tags.branch": ("main", "dev")}
    assert ids(select_runs(RUNS, where=where, latest=None, source="s")) == ["a", "b", "c"]


def test_where_every_field_must_match() -> None:
    where = {"tags.branch": ("main", "dev"), "params.lr": ("0.1",)}
    assert ids(select_runs(RUNS, where=where, latest=None, source="s")) == ["a", "b"]


def test_where_id_and_metric_fields() -> None:
    runs = [run("a", acc=0.25), run("b", acc=1.0)]
    assert ids(select_runs(runs, where={"id": ("b",)}, latest=None, source="s")) == ["b"]
    selected = select_runs(runs, where={"metrics.acc": ("0.25",)}, latest=None, source="s")
    assert ids(selected) == ["a"]


def test_latest_without_start_times_keeps_the_last_in_file_order() -> None:
    selected = select_runs(RUNS, where={"params.lr": ("0.1",)}, latest=2, source="s")
    assert ids(selected) == ["b", "d"]


def test_latest_more_than_available_keeps_all() -> None:
    assert ids(select_runs(RUNS[:2], where={}, latest=10, source="s")) == ["a", "b"]


def test_latest_orders_by_start_time_and_returns_chronological_order() -> None:
    runs = [run("new", start=30), run("old", start=10), run("mid", start=20), run("x", start=5)]
    assert ids(select_runs(runs, where={}, latest=3, source="s")) == ["old", "mid", "new"]


def test_latest_ties_keep_file_order() -> None:
    runs = [run("a", start=1), run("b", start=2), run("c", start=2), run("d", start=2)]
    assert ids(select_runs(runs, where={}, latest=2, source="s")) == ["c", "d"]


def test_latest_applies_after_where() -> None:
    runs = [run("a", branch="main", start=1), run("b", branch="dev", start=3)]
    runs.append(run("c", branch="main", start=2))
    selected = select_runs(runs, where={"tags.branch": ("main",)}, latest=1, source="s")
    assert ids(selected) == ["c"]


def test_latest_with_some_start_times_missing_names_a_run() -> None:
    runs = [run("a", start=1), run("b"), run("c", start=3)]
    with pytest.raises(RunSetError, match=r"run 'b' \(runs.json, run b\) has no start_time") as err:
        select_runs(runs, where={}, latest=2, source="pr runs")
    assert err.value.source == "pr runs"
    assert "2 of the 3 matching runs have one" in err.value.message


def test_mixed_start_times_do_not_matter_without_latest() -> None:
    runs = [run("a", start=1), run("b")]
    assert ids(select_runs(runs, where={}, latest=None, source="s")) == ["a", "b"]


def test_latest_must_be_positive() -> None:
    with pytest.raises(ValueError, match="latest must be 1 or more"):
        select_runs(RUNS, where={}, latest=0, source="s")


def test_nothing_matched_names_the_field_and_hints_values() -> None:
    with pytest.raises(RunSetError) as caught:
        select_runs(RUNS, where={"tags.branch": ("mian",)}, latest=None, source="runs/")
    assert caught.value.source == "runs/"
    assert caught.value.message == (
        "no run matches where tags.branch=mian (searched 5 runs); "
        "tags.branch takes 'dev', 'feature', 'main'"
    )


def test_nothing_matched_names_the_failing_field_of_several() -> None:
    where = {"tags.branch": ("main",), "params.lr": ("0.5", "0.7")}
    with pytest.raises(RunSetError, match=r"no run matches where params.lr in \(0.5, 0.7\)") as err:
        select_runs(RUNS, where=where, latest=None, source="s")
    assert err.value.message.endswith("params.lr takes '0.01', '0.1'")


def test_nothing_matched_by_the_combination() -> None:
    where = {"tags.branch": ("dev",), "params.lr": ("0.01",)}
    with pytest.raises(RunSetError) as caught:
        select_runs(RUNS, where=where, latest=None, source="s")
    assert caught.value.message == (
        "no run matches where tags.branch=dev and params.lr=0.01 as a whole "
        "(searched 5 runs); tags.branch takes 'dev', 'feature', 'main'"
    )


def test_nothing_matched_hint_lists_at_most_five_values() -> None:
    runs = [run(str(number), branch=f"b{number}") for number in range(8)]
    with pytest.raises(RunSetError, match=r"takes 'b0', 'b1', 'b2', 'b3', 'b4' and 3 more$"):
        select_runs(runs, where={"tags.branch": ("main",)}, latest=None, source="s")


def test_nothing_matched_when_no_run_has_the_field() -> None:
    with pytest.raises(RunSetError, match=r"\(searched 1 run\); no run has tags.owner$"):
        select_runs([run("a")], where={"tags.owner": ("me",)}, latest=None, source="s")


def test_hostile_values_stay_on_one_line() -> None:
    runs = [run("a", branch="x\ny"), run("b", branch="<script>|")]
    with pytest.raises(RunSetError) as caught:
        select_runs(runs, where={"tags.branch": ("a\nb",)}, latest=None, source="s")
    assert "\n" not in str(caught.value)
    assert "'x\\ny'" in caught.value.message


@pytest.mark.parametrize(
    ("where", "latest", "expected"),
    [
        ({"tags.branch": ("main",)}, 5, "where tags.branch=main, latest 5"),
        ({"tags.branch": ("main",)}, None, "where tags.branch=main"),
        ({}, 3, "latest 3"),
        ({}, None, ""),
        (
            {"tags.branch": ("main", "dev"), "params.lr": ("0.1",)},
            None,
            "where tags.branch in (main, dev) and params.lr=0.1",
        ),
        ({"tags.branch": ("my branch", "")}, None, "where tags.branch in ('my branch', '')"),
        ({"tags.note": ("a\nb",)}, None, "where tags.note='a\\nb'"),
    ],
)
def test_describe_selection(
    where: dict[str, tuple[str, ...]], latest: int | None, expected: str
) -> None:
    assert describe_selection(where, latest) == expected
