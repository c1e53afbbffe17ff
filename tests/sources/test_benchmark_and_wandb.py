"""pytest-benchmark JSON files and W&B runs-table CSV exports.

``data/pytest-benchmark-5.3.1.json`` is real output of ``pytest --benchmark-json``
(pytest-benchmark 5.3.1, three benchmarks, 5 and 4 rounds, in a git checkout).
The W&B CSV files are written here in the shape of the runs table's "Export as
CSV" (W&B is not installed).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.paths import SOURCE_DATA
from support.sources import open_side

from gate.cli import main
from gate.errors import PolicyError, RunSetError
from gate.model import Run
from gate.sources import RunSource

DATA = SOURCE_DATA
BENCHMARK = DATA / "pytest-benchmark-5.3.1.json"


def candidate(folder: Path, spec: str) -> RunSource:
    policy = folder / "gate.yml"
    policy.write_text(
        f"candidate: {spec}\nbaseline: x.json\nmetrics: {{t: {{direction: lower}}}}\n"
    )
    found = open_side(policy, "candidate")
    assert found is not None
    return found


def runs_of(folder: Path, spec: str) -> list[Run]:
    return list(candidate(folder, spec).load().runs)


# pytest-benchmark


def test_one_run_a_round(tmp_path: Path) -> None:
    shutil.copy(BENCHMARK, tmp_path / "bench.json")
    document = json.loads(BENCHMARK.read_text())
    data = {entry["name"]: entry["stats"]["data"] for entry in document["benchmarks"]}
    runs = runs_of(tmp_path, "{pytest_benchmark: bench.json}")
    assert [run.id for run in runs] == [f"bench.json#{i}" for i in range(1, 6)]
    assert runs[0].metrics == {name: values[0] for name, values in data.items()}
    # test_fib ran 5 rounds, the sorts 4: the fifth run has only test_fib.
    assert runs[4].metrics == {"test_fib": data["test_fib"][4]}
    assert runs[0].tags == {
        "commit": document["commit_info"]["id"],
        "branch": "main",
        "dirty": "false",
        "machine": document["machine_info"]["node"],
        "python": document["machine_info"]["python_version"],
        "cpu": document["machine_info"]["cpu"]["brand_raw"],
    }
    assert runs[0].start_time == runs[4].start_time is not None
    assert runs[2].origin == f"{tmp_path / 'bench.json'}, round 3"


def test_rounds_are_the_samples_of_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(BENCHMARK.read_text())
    (tmp_path / "base.json").write_text(json.dumps(document))
    for entry in document["benchmarks"]:
        entry["stats"]["data"] = [value * 3 for value in entry["stats"]["data"]]  # 3x slower
    (tmp_path / "pr.json").write_text(json.dumps(document))
    (tmp_path / "gate.yml").write_text(
        "candidate: {pytest_benchmark: pr.json}\nbaseline: {pytest_benchmark: base.json}\n"
        "metrics:\n  test_fib: {direction: lower, tolerance: 10%}\n"
    )
    assert main(["check", "--policy", str(tmp_path / "gate.yml")]) == 1
    assert "regression    test_fib  1.685e-05 -> 5.054e-05" in capsys.readouterr().out


def test_a_folder_of_saved_runs_and_selection(tmp_path: Path) -> None:
    machine = tmp_path / ".benchmarks" / "Linux-CPython-3.11-64bit"
    machine.mkdir(parents=True)
    document = json.loads(BENCHMARK.read_text())
    for n, branch in enumerate(["main", "main", "pr"]):
        document["commit_info"]["branch"] = branch
        document["datetime"] = f"2026-11-2{n}T10:00:00+00:00"
        (machine / f"000{n}_run.json").write_text(json.dumps(document))
    spec = "{pytest_benchmark: {path: .benchmarks, where: {tags.branch: main}, latest: 6}}"
    runs = runs_of(tmp_path, spec)
    assert [run.id for run in runs] == [
        *(f"Linux-CPython-3.11-64bit/0000_run.json#{i}" for i in (5,)),
        *(f"Linux-CPython-3.11-64bit/0001_run.json#{i}" for i in range(1, 6)),
    ]


def test_benchmark_errors(tmp_path: Path) -> None:
    document = json.loads(BENCHMARK.read_text())
    del document["benchmarks"][1]["stats"]["data"]
    (tmp_path / "saved.json").write_text(json.dumps(document))
    with pytest.raises(RunSetError) as caught:
        runs_of(tmp_path, "{pytest_benchmark: saved.json}")
    assert str(caught.value) == (
        f"{tmp_path / 'saved.json'}: benchmarks: benchmark 'test_sort[100]' has no per-round "
        "times (stats.data): --benchmark-json writes them; saved runs need --benchmark-save-data"
    )
    (tmp_path / "other.json").write_text('{"runs": []}')
    with pytest.raises(RunSetError, match="no `benchmarks` list"):
        runs_of(tmp_path, "{pytest_benchmark: other.json}")
    with pytest.raises(PolicyError, match="unknown key 'paths'"):
        candidate(tmp_path, "{pytest_benchmark: {paths: x.json}}")


def test_shared_names_use_the_full_name(tmp_path: Path) -> None:
    document = json.loads(BENCHMARK.read_text())
    twin = json.loads(json.dumps(document["benchmarks"][0]))
    twin["fullname"] = "other/test_perf.py::test_fib"
    document["benchmarks"].append(twin)
    (tmp_path / "b.json").write_text(json.dumps(document))
    names = set(runs_of(tmp_path, "{pytest_benchmark: b.json}")[0].metrics)
    assert names == {
        "test_perf.py::test_fib",
        "other/test_perf.py::test_fib",
        "test_sort[100]",
        "test_sort[1000]",
    }


# W&B runs-table export

EXPORT = (
    "Name,ID,State,Notes,User,Tags,Created,Runtime,Sweep,lr,optimizer,seed,"
    "summary.acc,loss,_step\n"
    "pr-seed-0,a1b2c3,finished,,ana,pr,2026-11-20T10:00:00.000Z,312,,0.001,adam,0,0.91,0.30,99\n"
    "pr-seed-1,d4e5f6,finished,,ana,pr,2026-11-20T11:00:00.000Z,305,,0.001,adam,1,0.93,-,99\n"
    "pr-seed-2,g7h8i9,crashed,oom,ana,pr,2026-11-20T12:00:00.000Z,20,,0.001,adam,2,,,3\n"
)


def test_wandb_export(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(EXPORT)
    runs = runs_of(tmp_path, "{wandb_csv: {path: export.csv, config: [lr, seed]}}")
    first = runs[0]
    assert first.id == "a1b2c3"
    assert first.metrics == {"acc": 0.91, "loss": 0.30, "_step": 99.0}
    assert first.params == {"lr": "0.001", "optimizer": "adam", "seed": "0"}
    assert first.tags == {
        "name": "pr-seed-0",
        "state": "finished",
        "user": "ana",
        "tags": "pr",
        "runtime": "312",
    }
    assert first.start_time == 1795168800.0
    assert runs[1].metrics == {"acc": 0.93, "_step": 99.0}  # "-" is no value
    assert runs[2].tags["notes"] == "oom"


def test_wandb_selection_and_name_as_id(tmp_path: Path) -> None:
    without_ids = "\n".join(
        ",".join(cell for n, cell in enumerate(line.split(",")) if n != 1)
        for line in EXPORT.splitlines()
    )
    (tmp_path / "export.csv").write_text(without_ids)
    spec = "{wandb_csv: {path: export.csv, where: {tags.state: finished}, latest: 1}}"
    (run,) = runs_of(tmp_path, spec)
    assert run.id == "pr-seed-1"
    assert run.metrics == {"acc": 0.93, "lr": 0.001, "seed": 1.0, "_step": 99.0}  # no config:


def test_wandb_errors(tmp_path: Path) -> None:
    (tmp_path / "dup.csv").write_text("Name,acc\nrun,1\nrun,2\n")
    with pytest.raises(RunSetError, match=r"two runs have the id 'run'.*add the ID column"):
        runs_of(tmp_path, "{wandb_csv: dup.csv}")
    (tmp_path / "short.csv").write_text("Name,acc\nrun,1,2\n")
    with pytest.raises(RunSetError, match="line 2: the row has 3 cells but the header has 2"):
        runs_of(tmp_path, "{wandb_csv: short.csv}")
    (tmp_path / "when.csv").write_text("Name,Created,acc\nrun,yesterday,1\n")
    with pytest.raises(RunSetError, match="start_time of run 'run' is not epoch seconds"):
        runs_of(tmp_path, "{wandb_csv: when.csv}")


def test_files_of_other_tools_work_as_command_line_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--candidate bench.json` used to fail with "the object has no 'runs' list".
    from gate.cli import main

    cases = [
        ("test_fib", DATA / "pytest-benchmark-5.3.1.json", "pytest-benchmark"),
        ("acc", tmp_path / "export.csv", "W&B export"),
        ("metrics.json:acc", DATA / "dvc-exp-show.json", "dvc exp show"),
    ]
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    for metric, path, kind in cases:
        policy = tmp_path / "gate.yml"
        policy.write_text(f"metrics: {{'{metric}': {{direction: lower}}}}\n", encoding="utf-8")
        args = ["check", "--policy", str(policy), "--candidate", str(path), "--baseline", str(path)]
        assert main([*args, "--json", str(tmp_path / "r.json")]) in (0, 1), capsys.readouterr()
        report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        assert report["candidate"]["description"].startswith(kind), report["candidate"]
        assert report["metrics"][0]["verdict"] != "missing", report["metrics"][0]


def test_benchmark_rounds_are_called_rounds_and_times_have_their_unit(tmp_path: Path) -> None:
    # "264 runs" and bare numbers used to hide that these are rounds of seconds.
    from gate.cli import main

    path = DATA / "pytest-benchmark-5.3.1.json"
    policy = tmp_path / "gate.yml"
    policy.write_text("metrics: {test_fib: {direction: lower}}\n", encoding="utf-8")
    reports = ["--markdown", str(tmp_path / "r.md"), "--json", str(tmp_path / "r.json")]
    args = ["check", "--policy", str(policy), "--candidate", str(path), "--baseline", str(path)]
    assert main([*args, *reports]) == 0
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert " rounds)" in markdown and " runs)" not in markdown
    assert "| test_fib (s) |" in markdown
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["run_word"] == "round" and report["metrics"][0]["unit"] == "s"
