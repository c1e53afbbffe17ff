"""Reading run sets from JSON, JSON Lines and CSV files and directories."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.errors import RunSetError
from gate.model import Run
from gate.sources.files.read import read_runs


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_json(path: Path, document: object) -> Path:
    return write(path, json.dumps(document))


def read_error(path: Path) -> RunSetError:
    with pytest.raises(RunSetError) as caught:
        read_runs(path)
    return caught.value


def one_run(tmp_path: Path, run: dict[str, object]) -> Run:
    (read,) = read_runs(write_json(tmp_path / "runs.json", [run]))
    return read


# JSON


def test_json_object_with_runs(tmp_path: Path) -> None:
    document = {
        "runs": [
            {
                "id": "seed-0",
                "metrics": {"accuracy": 0.91, "loss": 2},
                "params": {"lr": 0.001, "layers": 4, "warmup": True, "schedule": None},
                "tags": {"branch": "main", "dims": [1, 2], "cfg": {"b": 1, "a": 2}},
                "start_time": 1700000000,
            }
        ]
    }
    (run,) = read_runs(write_json(tmp_path / "runs.json", document))
    assert run.id == "seed-0"
    assert run.metrics == {"accuracy": 0.91, "loss": 2.0}
    assert isinstance(run.metrics["loss"], float)
    assert run.params == {"lr": "0.001", "layers": "4", "warmup": "true", "schedule": "null"}
    assert run.tags == {"branch": "main", "dims": "[1,2]", "cfg": '{"a":2,"b":1}'}
    assert run.start_time == 1700000000.0
    assert run.origin == f"{tmp_path / 'runs.json'}, run 1"


def test_json_bare_list_defaults_ids_by_position(tmp_path: Path) -> None:
    path = write_json(tmp_path / "pr.json", [{"metrics": {"a": 1}}, {"metrics": {"a": 2}}])
    runs = read_runs(path)
    assert [run.id for run in runs] == ["pr.json#1", "pr.json#2"]
    assert [run.origin for run in runs] == [f"{path}, run 1", f"{path}, run 2"]
    assert runs[0].params == {}
    assert runs[0].tags == {}
    assert runs[0].start_time is None


def test_number_ids_become_strings(tmp_path: Path) -> None:
    path = write_json(tmp_path / "r.json", [{"id": 7, "metrics": {}}, {"id": 1.5, "metrics": {}}])
    assert [run.id for run in read_runs(path)] == ["7", "1.5"]


def test_metric_names_are_kept_exactly(tmp_path: Path) -> None:
    run = one_run(tmp_path, {"metrics": {"Top-1 Acc ": 0.5, "eval/loss": 1.0}})
    assert list(run.metrics) == ["Top-1 Acc ", "eval/loss"]


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"metrics": {"a": 1}}]).encode())
    assert read_runs(path)[0].metrics == {"a": 1.0}


def test_json_nan_and_infinity_literals(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", '[{"metrics": {"a": NaN, "b": Infinity, "c": -Infinity}}]')
    metrics = read_runs(path)[0].metrics
    assert math.isnan(metrics["a"])
    assert metrics["b"] == math.inf
    assert metrics["c"] == -math.inf


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nan", math.nan),
        ("NaN", math.nan),
        ("inf", math.inf),
        ("+inf", math.inf),
        ("-inf", -math.inf),
        ("Infinity", math.inf),
        ("-INFINITY", -math.inf),
    ],
)
def test_non_finite_metric_words(tmp_path: Path, text: str, expected: float) -> None:
    value = one_run(tmp_path, {"metrics": {"a": text}}).metrics["a"]
    assert (math.isnan(value) and math.isnan(expected)) or value == expected


def test_integer_beyond_float_range_is_infinite(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", '[{"metrics": {"a": -1' + "0" * 400 + "}}]")
    assert read_runs(path)[0].metrics["a"] == -math.inf


@pytest.mark.parametrize(
    ("value", "shown"),
    [("0.9x", "'0.9x'"), ("1.5", "'1.5'"), (True, "True"), (None, "None"), ({"a": 1}, "{'a': 1}")],
)
def test_metric_that_is_not_a_number(tmp_path: Path, value: object, shown: str) -> None:
    path = write_json(tmp_path / "r.json", [{"id": "s0", "metrics": {"acc": value}}])
    err = read_error(path)
    assert err.message == f"metric 'acc' of run 's0' is not a number: {shown}"
    assert err.source == str(path)
    assert err.place == "run 1"


def test_metric_lists_are_series(tmp_path: Path) -> None:
    history = [{"step": 2, "value": 0.3}, {"step": 0, "value": 0.1}, {"step": 1, "value": "nan"}]
    path = write_json(
        tmp_path / "r.json", [{"metrics": {"acc": [1, 0, 1], "loss": history, "f1": 0.5}}]
    )
    (run,) = read_runs(path)
    assert run.metrics == {"f1": 0.5}
    assert run.series["acc"] == (1.0, 0.0, 1.0)
    assert run.series["loss"][0::2] == (0.1, 0.3)  # in step order
    assert math.isnan(run.series["loss"][1])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "is an empty list"),
        ([0.1, "x"], "is not a number: 'x'"),
        ([{"step": 0}], "a history point is"),
        ([{"step": "a", "value": 1}], "step must be a number"),
    ],
)
def test_bad_metric_lists(tmp_path: Path, value: object, message: str) -> None:
    path = write_json(tmp_path / "r.json", [{"id": "s0", "metrics": {"acc": value}}])
    with pytest.raises(RunSetError, match=rf"metric 'acc' of run 's0'.*{re.escape(message)}"):
        read_runs(path)


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", '[\n  {"metrics": {"a": 1},}\n]')
    err = read_error(path)
    assert err.message.startswith("malformed JSON: ")
    assert err.source == str(path)
    assert err.place == "line 2, column 24"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"run": []}, r"no 'runs' list \(is 'run' meant to be 'runs'\?\)"),
        ({"items": []}, r": the object has no 'runs' list$"),
        ({"runs": {"a": 1}}, r"'runs' must be a list, not an object"),
        (42, r"expected a list of runs or an object with a 'runs' list, not a number"),
        (["x"], r"a run must be a JSON object, not a string"),
        ([{"metrics": {}, "metric": {}}], r"unknown key 'metric'.*did you mean 'metrics'\?"),
        ([{"metrics": {}, "zzz": 1}], r": unknown key 'zzz' in a run \(a run has id, metrics"),
        ([{"id": "x", "params": {}}], r"run 'x' has no 'metrics' object"),
        ([{"metrics": []}], r"'metrics' of run 'r.json#1' must be a JSON object, not a list"),
        ([{"metrics": {}, "params": [1]}], r"'params' of run .* must be a JSON object"),
        ([{"metrics": {}, "tags": "main"}], r"'tags' of run .* not a string"),
        ([{"id": True, "metrics": {}}], r"a run id must be a string or a number, not a boolean"),
        ([{"id": "", "metrics": {}}], r"a run id must not be empty"),
    ],
)
def test_malformed_run_sets(tmp_path: Path, document: object, message: str) -> None:
    path = write_json(tmp_path / "r.json", document)
    with pytest.raises(RunSetError, match=message) as caught:
        read_runs(path)
    assert caught.value.source == str(path)


def test_error_place_is_the_run_position(tmp_path: Path) -> None:
    path = write_json(tmp_path / "r.json", [{"metrics": {}}, {"metrics": {}, "tag": {}}])
    assert read_error(path).place == "run 2"


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", "[" * 100_000 + "]" * 100_000)
    assert read_error(path).source == str(path)


# start_time


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (1700000000, 1700000000.0),
        (1700000000123, 1700000000123.0),
        (1.5, 1.5),
        ("1700000000", 1700000000.0),
        ("2024-01-01T00:00:00Z", 1704067200.0),
        ("2024-01-01T00:00:00", 1704067200.0),
        ("2024-01-01T02:00:00+02:00", 1704067200.0),
        ("2024-01-01", 1704067200.0),
    ],
)
def test_start_time(tmp_path: Path, value: object, seconds: float) -> None:
    assert one_run(tmp_path, {"metrics": {}, "start_time": value}).start_time == seconds


def test_start_time_from_tags_keeps_full_precision(tmp_path: Path) -> None:
    run = one_run(tmp_path, {"metrics": {}, "tags": {"start_time": 1700000000.25}})
    assert run.start_time == 1700000000.25
    assert run.tags == {"start_time": "1.7e+09"}


def test_top_level_start_time_wins_over_tag(tmp_path: Path) -> None:
    run = one_run(tmp_path, {"metrics": {}, "start_time": 5, "tags": {"start_time": "junk"}})
    assert run.start_time == 5.0


@pytest.mark.parametrize("value", ["yesterday", "", "nan", True, None, [1], "2024-13-01"])
def test_unparsable_start_time(tmp_path: Path, value: object) -> None:
    path = write_json(tmp_path / "r.json", [{"id": "s1", "metrics": {}, "start_time": value}])
    err = read_error(path)
    assert err.message.startswith("start_time of run 's1' is not epoch seconds or an ISO-8601")
    assert err.place == "run 1"


# JSON Lines


def test_jsonl_skips_blank_lines_and_names_lines(tmp_path: Path) -> None:
    text = '{"id": "a", "metrics": {"x": 1}}\n\n   \n{"metrics": {"x": 2}}\n'
    path = write(tmp_path / "r.jsonl", text)
    runs = read_runs(path)
    assert [run.id for run in runs] == ["a", "r.jsonl#2"]
    assert [run.origin for run in runs] == [f"{path}, line 1", f"{path}, line 4"]


def test_jsonl_crlf_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"metrics": {"x": 1}}\r\n{"metrics": {"x": 2}}\r\n')
    assert [run.metrics["x"] for run in read_runs(path)] == [1.0, 2.0]


def test_jsonl_malformed_line(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jsonl", '{"metrics": {}}\n\n{"metrics": {]\n')
    err = read_error(path)
    assert err.message.startswith("malformed JSON")
    assert err.place == "line 3, column 14"


def test_jsonl_bad_run_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jsonl", '{"metrics": {}}\n[1, 2]\n')
    with pytest.raises(RunSetError, match="a run must be a JSON object, not a list") as caught:
        read_runs(path)
    assert caught.value.place == "line 2"


def test_jsonl_line_separator_inside_a_string_is_data(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jsonl", '{"id": "a\u2028b", "metrics": {}}\n')
    assert read_runs(path)[0].id == "a\u2028b"


# CSV


def test_csv_columns(tmp_path: Path) -> None:
    text = (
        "id,accuracy,metrics.loss,params.lr,tags.branch,start_time\n"
        "s0,0.91,1e-3,0.1,main,2024-01-01T00:00:00Z\n"
        "s1,nan,,,dev,\n"
    )
    path = write(tmp_path / "r.csv", text)
    first, second = read_runs(path)
    assert first == Run(
        id="s0",
        metrics={"accuracy": 0.91, "loss": 0.001},
        params={"lr": "0.1"},
        tags={"branch": "main"},
        start_time=1704067200.0,
        origin=f"{path}, line 2",
    )
    assert math.isnan(second.metrics["accuracy"])
    assert "loss" not in second.metrics
    assert second.params == {}
    assert second.start_time is None


def test_csv_defaults_ids_skips_blank_rows_and_allows_short_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "acc,tags.start_time\n0.5,10\n\n,,\n0.7\n")
    runs = read_runs(path)
    assert [run.id for run in runs] == ["r.csv#1", "r.csv#2"]
    assert [run.origin for run in runs] == [f"{path}, line 2", f"{path}, line 5"]
    assert runs[0].start_time == 10.0
    assert runs[1].metrics == {"acc": 0.7}


def test_csv_quoted_cells_with_newlines(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", 'id,acc\n"two\nlines",1\nnext,2\n')
    runs = read_runs(path)
    assert [run.id for run in runs] == ["two\nlines", "next"]
    assert runs[1].origin == f"{path}, line 4"


@pytest.mark.parametrize(
    ("text", "message", "place"),
    [
        ("acc,acc\n1,2\n", r": duplicate column 'acc'$", "line 1"),
        (
            "acc,metrics.acc\n1,2\n",
            r"duplicate column 'metrics.acc' \(the same as 'acc'\)",
            "line 1",
        ),
        ("acc,\n1,2\n", r"column 2 of the header has no name", "line 1"),
        ("acc,params.\n1,2\n", r"column 'params.' has no name after 'params.'", "line 1"),
        ("acc\n1\n2,3\n", r"the row has 2 cells but the header has 1", "line 3"),
        ("id,acc\ns0,high\n", r"metric 'acc' of run 's0' is not a number: 'high'", "line 2"),
        ("acc,start_time\n1,soon\n", r"start_time of run 'r.csv#1' is not epoch", "line 2"),
        ('acc\n"1\n', r"malformed CSV: unexpected end of data", "line 2"),
        ('acc\n"1"2\n', r"malformed CSV", "line 2"),
    ],
)
def test_malformed_csv(tmp_path: Path, text: str, message: str, place: str) -> None:
    path = write(tmp_path / "r.csv", text)
    with pytest.raises(RunSetError, match=message) as caught:
        read_runs(path)
    assert caught.value.source == str(path)
    assert caught.value.place == place


# files and directories


def test_directory_reads_run_files_in_name_order(tmp_path: Path) -> None:
    write(tmp_path / "b.jsonl", '{"id": "b", "metrics": {}}\n')
    write(tmp_path / "a.csv", "id,x\na,1\n")
    write_json(tmp_path / "c.json", [{"id": "c", "metrics": {}}])
    write(tmp_path / "notes.txt", "not runs")
    write(tmp_path / ".hidden.json", "not even JSON")
    (tmp_path / "sub.json").mkdir()
    write_json(tmp_path / "sub.json" / "d.json", [{"id": "d", "metrics": {}}])
    assert [run.id for run in read_runs(tmp_path)] == ["a", "b", "c"]


def test_directory_without_run_files(tmp_path: Path) -> None:
    write(tmp_path / "notes.txt", "")
    err = read_error(tmp_path)
    assert err.source == str(tmp_path)
    assert "no .json, .jsonl or .csv files" in err.message


def test_missing_path(tmp_path: Path) -> None:
    err = read_error(tmp_path / "nope.json")
    assert err.source == str(tmp_path / "nope.json")
    assert err.message == "no such file or directory"


def test_unsupported_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "runs.yaml", "runs: []")
    with pytest.raises(RunSetError, match=r"unsupported file type '\.yaml'") as caught:
        read_runs(path)
    assert caught.value.source == str(path)


@pytest.mark.parametrize(
    ("name", "text"), [("e.json", "[]"), ("e.jsonl", "\n\n"), ("e.csv", "a\n")]
)
def test_file_with_no_runs(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text)
    err = read_error(path)
    assert (err.source, err.message) == (str(path), "the file has no runs")


def test_empty_file_in_a_directory_names_the_file(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", [{"metrics": {}}])
    empty = write(tmp_path / "b.jsonl", "")
    assert read_error(tmp_path).source == str(empty)


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(b'[{"metrics": {"\xff": 1}}]')
    err = read_error(path)
    assert err.message.startswith("not UTF-8 text")
    assert (err.source, err.place) == (str(path), "byte 15")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_json(tmp_path / "r.json", [{"metrics": {}}])

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    err = read_error(path)
    assert (err.source, err.message) == (str(path), "cannot read: Permission denied")


def test_duplicate_ids_across_files_name_both_origins(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", [{"id": "s0", "metrics": {}}])
    second = write(tmp_path / "b.jsonl", '\n{"id": "s0", "metrics": {}}\n')
    err = read_error(tmp_path)
    expected = f"duplicate run id 's0': {tmp_path / 'a.json'}, run 1 and {second}, line 2"
    assert err.message == expected
    assert err.source == str(second)


def test_duplicate_ids_inside_one_file(tmp_path: Path) -> None:
    path = write_json(tmp_path / "r.json", [{"id": 1, "metrics": {}}, {"id": "1", "metrics": {}}])
    with pytest.raises(RunSetError, match="duplicate run id '1'"):
        read_runs(path)


# hostile strings


HOSTILE = ["line\nbreak", "a|b", "<script>alert(1)</script>", "x" * 10_000, "\u202etxt", "é✓"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_are_data(tmp_path: Path, text: str) -> None:
    run = one_run(
        tmp_path, {"id": text, "metrics": {text: 1}, "params": {text: text}, "tags": {"t": text}}
    )
    assert (run.id, run.metrics, run.params, run.tags) == (
        text,
        {text: 1.0},
        {text: text},
        {"t": text},
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_stay_on_one_line_in_errors(tmp_path: Path, text: str) -> None:
    path = write_json(tmp_path / "r.json", [{"id": text, "metrics": {text: text}}])
    err = read_error(path)
    assert "\n" not in str(err)
    assert len(err.message) < 300


def test_hostile_csv_header(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", '"a\nb","<b>|</b>"\n1,2\n')
    assert read_runs(path)[0].metrics == {"a\nb": 1.0, "<b>|</b>": 2.0}


# round trip


run_ids = st.text(min_size=1, max_size=20)
finite = st.floats(allow_nan=False, allow_infinity=False)
metric_maps = st.dictionaries(st.text(max_size=10), finite, max_size=4)


@settings(max_examples=75, deadline=None)
@given(st.dictionaries(run_ids, metric_maps, min_size=1, max_size=6))
def test_json_round_trip(
    tmp_path_factory: pytest.TempPathFactory, runs: dict[str, dict[str, float]]
) -> None:
    path = tmp_path_factory.mktemp("round") / "runs.json"
    write_json(path, {"runs": [{"id": key, "metrics": metrics} for key, metrics in runs.items()]})
    read = read_runs(path)
    assert [(run.id, dict(run.metrics)) for run in read] == list(runs.items())
