"""The subset of MLflow's filter language that local stores support."""

from __future__ import annotations

import pytest

from gate.errors import FilterError
from gate.sources.mlflow.filter import Clause, parse_filter, parse_order_by
from gate.sources.mlflow.runs import MlflowQuery


def test_clauses() -> None:
    text = (
        "tags.branch = 'main' AND params.`learning rate` != \"0.1\" and metrics.acc>=0.9 "
        "and attributes.status = 'FINISHED' and run.start_time < 1700000000000 "
        "and tags.\"mlflow.runName\" = 'x' and tags.mlflow.source.git.commit = 'abc'"
    )
    assert parse_filter(text) == (
        Clause("tags", "branch", "=", "main"),
        Clause("params", "learning rate", "!=", "0.1"),
        Clause("metrics", "acc", ">=", 0.9),
        Clause("attributes", "status", "=", "FINISHED"),
        Clause("attributes", "start_time", "<", 1.7e12),
        Clause("tags", "mlflow.runName", "=", "x"),
        Clause("tags", "mlflow.source.git.commit", "=", "abc"),
    )


def test_empty_filter() -> None:
    assert parse_filter("") == ()
    assert parse_filter("   ") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("branch = 'main'", "expected a name such as tags.branch, found 'branch'"),
        ("run_name ~ 'x'", "expected a comparison after attributes.run_name"),
        ("labels.x = 'y'", "unknown kind of name 'labels'"),
        ("tags.x IN ('a', 'b')", "expected a comparison after tags.x, found 'IN'"),
        ("tags.x = 'a' tags.y = 'b'", "expected `and` between clauses, found 'tags.y'"),
        ("tags.x = main", "tags.x = main is not supported in a local store"),
        ("tags.x =", "expected a value after tags.x ="),
        ("tags. = 'a'", "tags. needs a name after the dot"),
    ],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter(text)
    assert message in str(caught.value)


def test_narrowing_quotes_what_it_adds() -> None:
    query = MlflowQuery(experiment="e", filter="tags.branch = 'main'")
    narrowed = query.narrowed("tags.mlflow.source.git.commit", "it's")
    assert narrowed.filter == (
        "tags.branch = 'main' and tags.`mlflow.source.git.commit` = \"it's\""
    )
    assert parse_filter(narrowed.filter)[-1] == Clause(
        "tags", "mlflow.source.git.commit", "=", "it's"
    )
    assert MlflowQuery(experiment="e").narrowed("id", "r1").filter == "attributes.run_id = 'r1'"


def test_order_by() -> None:
    keys = parse_order_by(["metrics.acc DESC", "attributes.start_time", "tags.`a b` asc"])
    assert [(k.entity, k.key, k.descending) for k in keys] == [
        ("metrics", "acc", True),
        ("attributes", "start_time", False),
        ("tags", "a b", False),
    ]
    with pytest.raises(FilterError, match=r"cannot order by attributes\.artifact_uri"):
        parse_order_by(["attributes.artifact_uri"])


def test_a_run_without_a_name_matches_no_clause_on_it() -> None:
    # As MLflow's own search does on an old store whose runs have no name: checked with
    # MLflow 3.17's client on such a file store (0 runs for each of these).
    from gate.sources.mlflow.filter import select_records
    from gate.sources.mlflow.runs import MlflowRecord

    nameless = MlflowRecord("r1", "", "FINISHED", 1, 2, "me", {}, {}, {})
    named = MlflowRecord("r2", "SVM", "FINISHED", 1, 2, "me", {}, {}, {})
    for text, expected in [
        ("attributes.run_name = ''", []),
        ("run_name != 'x'", ["r2"]),
        ("run_name = 'SVM'", ["r2"]),
    ]:
        chosen = select_records([nameless, named], parse_filter(text), (), None)
        assert [record.run_id for record in chosen] == expected, text
