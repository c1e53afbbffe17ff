"""The command end to end through ``main(argv)``: exit codes, messages, report files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import gate.commands.check
from gate.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "expected"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Reports name paths as given; running from the repo root keeps them stable.
    monkeypatch.chdir(ROOT)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    write(
        tmp_path / "base.json",
        json.dumps(
            {
                "runs": [
                    {"id": f"b{i}", "metrics": {"acc": v}}
                    for i, v in enumerate([0.90, 0.91, 0.92, 0.91])
                ]
            }
        ),
    )
    write(
        tmp_path / "cand.json",
        json.dumps(
            [{"id": f"c{i}", "metrics": {"acc": v}} for i, v in enumerate([0.91, 0.90, 0.92, 0.91])]
        ),
    )
    return write(
        tmp_path / "policy.yml",
        "candidate: cand.json\nbaseline: base.json\n"
        "metrics:\n  acc: {direction: higher, tolerance: 0.01}\n",
    )


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line, no traceback
    assert "Traceback" not in err
    return err.strip()


def test_bundled_example_passes(in_repo: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--policy", "examples/policy.yml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("rungate: PASS")


def test_regressed_example_fails_and_writes_every_report(
    in_repo: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "check",
            "--policy",
            "examples/policy.yml",
            "--candidate",
            "examples/runs/regressed",
            "--markdown",
            str(tmp_path / "r.md"),
            "--json",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert out.startswith("rungate: FAIL")
    assert "regression" in out and "latency_ms" in out
    expected = (EXPECTED / "example-regressed.md").read_text(encoding="utf-8")
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == expected
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "fail"
    assert {m["name"]: m["verdict"] for m in report["metrics"]} == {
        "accuracy": "regression",
        "f1_macro": "regression",
        "val_loss": "regression",
        "latency_ms": "regression",
    }
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html


def test_markdown_to_stdout_replaces_the_summary(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--policy", str(policy), "--markdown", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## rungate")
    assert "rungate: PASS" not in out


def test_command_line_paths_replace_the_policys(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    worse = write(tmp_path / "worse.csv", "id,acc\nw1,0.80\nw2,0.81\nw3,0.79\n")
    assert main(["check", "--policy", str(policy), "--candidate", str(worse)]) == 1
    assert "regression" in capsys.readouterr().out


def test_missing_candidate_metric_fails_the_gate(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = write(tmp_path / "other.jsonl", '{"metrics": {"loss": 1}}\n{"metrics": {"loss": 2}}\n')
    assert main(["check", "--policy", str(policy), "--candidate", str(other)]) == 1
    assert "missing" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (
            "bad.json",
            '{"runs": [{"metrics": {"acc": 0.9}},]}',
            r"bad.json: line 1, column 37: malformed JSON",
        ),
        (
            "bad.json",
            '{"runs": [{"id": "r|1", "metrics": {"acc": "high"}}]}',
            r"bad.json: run 1: metric 'acc' of run 'r\|1' is not a number: 'high'",
        ),
        ("bad.csv", "id,acc\nr1,0.9\nr2,abc\n", r"bad.csv: line 3: metric 'acc' of run 'r2'"),
        ("empty.json", "[]", r"empty.json: the file has no runs"),
        ("empty.jsonl", "\n\n", r"empty.jsonl: the file has no runs"),
        ("bad.txt", "acc\n0.9\n", r"bad.txt: unsupported file type '.txt'"),
    ],
)
def test_bad_run_sets_are_one_line_and_exit_2(
    policy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    text: str,
    message: str,
) -> None:
    path = write(tmp_path / file, text)
    assert (
        main(
            [
                "check",
                "--policy",
                str(policy),
                "--candidate",
                str(path),
                "--json",
                str(tmp_path / "out.json"),
            ]
        )
        == 2
    )
    line = error_line(capsys)
    assert line.startswith("rungate: error: ")
    assert re.search(message, line), line
    assert not (tmp_path / "out.json").exists()  # nothing is written when nothing was judged
    assert path.read_text(encoding="utf-8") == text  # and nothing the user owns is changed


def test_missing_run_set_and_empty_directory(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--policy", str(policy), "--baseline", str(tmp_path / "nope")]) == 2
    assert "nope: no such file or directory" in error_line(capsys)
    (tmp_path / "empty").mkdir()
    assert main(["check", "--policy", str(policy), "--baseline", str(tmp_path / "empty")]) == 2
    assert "has no .json, .jsonl or .csv files" in error_line(capsys)


def test_policy_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "p.yml", "metrics:\n  acc: {direction: higher, tolerance: -1}\n")
    assert main(["check", "--policy", str(bad)]) == 2
    assert f"{bad}:2: metrics.acc.tolerance: a tolerance cannot be negative" in error_line(capsys)
    assert main(["check", "--policy", str(tmp_path / "none.yml")]) == 2
    assert "policy file not found" in error_line(capsys)


def test_a_side_with_no_source_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = write(tmp_path / "p.yml", "metrics:\n  acc: {direction: higher}\n")
    assert main(["check", "--policy", str(bare)]) == 2
    assert "no candidate run set: give --candidate PATH" in error_line(capsys)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "--policy" in error_line(capsys)  # one line, like every other error
    assert main(["judge"]) == 2
    assert "invalid choice: 'judge'" in error_line(capsys)
    assert main(["comment", "r.json", "--pr", "x"]) == 2
    assert "not a positive whole number" in error_line(capsys)
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("rungate ")


def test_reports_never_overwrite_inputs(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (tmp_path / "cand.json").read_text(encoding="utf-8")
    assert main(["check", "--policy", str(policy), "--json", str(tmp_path / "cand.json")]) == 2
    assert "refusing to write a report over the input" in error_line(capsys)
    assert (tmp_path / "cand.json").read_text(encoding="utf-8") == before
    assert main(["check", "--policy", str(policy), "--json", str(policy)]) == 2
    assert "refusing" in error_line(capsys)
    runs = tmp_path / "runs"
    write(runs / "a.json", (tmp_path / "cand.json").read_text(encoding="utf-8"))
    assert (
        main(
            [
                "check",
                "--policy",
                str(policy),
                "--candidate",
                str(runs),
                "--json",
                str(runs / "report.json"),
            ]
        )
        == 2
    )
    assert "into the run-set folder" in error_line(capsys)
    assert not (runs / "report.json").exists()
    # Below the top of a source too: this would replace one of its runs.
    deep = write(runs / "sub" / "b.json", (tmp_path / "cand.json").read_text(encoding="utf-8"))
    before = deep.read_text(encoding="utf-8")
    args = ["check", "--policy", str(policy), "--candidate", str(runs), "--json", str(deep)]
    assert main(args) == 2
    assert f"into the run-set folder {runs}" in error_line(capsys)
    assert deep.read_text(encoding="utf-8") == before


def test_report_files_get_the_usual_mode(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_mask = os.umask(0o022)
    try:
        fresh, kept = tmp_path / "fresh.json", write(tmp_path / "kept.json", "{}")
        kept.chmod(0o640)
        assert main(["check", "--policy", str(policy), "--json", str(fresh)]) == 0
        assert main(["check", "--policy", str(policy), "--json", str(kept)]) == 0
    finally:
        os.umask(old_mask)
    assert fresh.stat().st_mode & 0o777 == 0o644  # readable by an artifact uploader
    assert kept.stat().st_mode & 0o777 == 0o640  # an existing report keeps its mode
    assert kept.read_text(encoding="utf-8").startswith("{")


def test_a_report_name_too_long_is_one_line(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = tmp_path / ("r" * 300 + ".json")
    assert main(["check", "--policy", str(policy), "--json", str(long_name)]) == 2
    assert "File name too long" in error_line(capsys)


def test_unwritable_report_is_exit_2(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = write(tmp_path / "file", "x")
    assert main(["check", "--policy", str(policy), "--json", str(blocker / "r.json")]) == 2
    assert "cannot write the report" in error_line(capsys)


def test_hostile_run_names_stay_inert_in_summary_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "acc\n# pwned | <script>alert(1)</script> @octocat"
    write(
        tmp_path / "h.json",
        json.dumps([{"id": f"x{i}\n| y", "metrics": {name: 1.0}} for i in range(3)]),
    )
    hostile_policy = write(
        tmp_path / "hp.yml",
        "candidate: h.json\nbaseline: h.json\nmetrics:\n"
        f"  {json.dumps(name)}: {{direction: higher, at_least: 2}}\n",
    )
    report = tmp_path / "r.md"
    assert main(["check", "--policy", str(hostile_policy), "--markdown", str(report)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2  # the headline and one line for the metric: no line breaks leak
    assert "acc # pwned | <script>" in lines[1]
    markdown = report.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<script", markdown) and "\n# pwned" not in markdown
    table_row = next(line for line in markdown.splitlines() if "pwned" in line and "|" in line)
    # Nine columns, so ten unescaped pipes: the name's own pipe is escaped.
    assert table_row.replace("\\|", "").count("|") == 10


def test_internal_errors_are_one_line_and_exit_2(
    policy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(gate.commands.check, "decide", broken)
    assert main(["check", "--policy", str(policy)]) == 2
    assert "internal error: ZeroDivisionError: boom" in error_line(capsys)
    assert main(["check", "--policy", str(policy), "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_python_dash_m_runs_the_command(policy: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--policy", str(policy)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("rungate: PASS")


def test_reports_to_a_device_are_written_into_it_not_over_it(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    assert main(["check", "--policy", str(policy), "--json", str(fifo)]) == 0
    reader.join(timeout=10)
    assert json.loads(received[0])["verdict"] == "pass"
    assert not fifo.is_file()  # still a pipe: never replaced by a regular file
    # Several reports may share a device such as /dev/null.
    assert (
        main(["check", "--policy", str(policy), "--json", os.devnull, "--markdown", os.devnull])
        == 0
    )
    assert Path(os.devnull).is_char_device()
    # ... but never one file.
    assert (
        main(
            [
                "check",
                "--policy",
                str(policy),
                "--json",
                str(tmp_path / "r"),
                "--markdown",
                str(tmp_path / "r"),
            ]
        )
        == 2
    )
    assert "two reports would be written to the same file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("settings", "cand", "base"),
    [
        # Paired by seed, one run a side: unreplicated, and no test to name.
        (
            "pair_by: params.seed",
            '{"metrics": {"acc": 0.5}, "params": {"seed": 1}}',
            '{"metrics": {"acc": 0.9}, "params": {"seed": 1}}',
        ),
        # Paired by example, one example a side.
        ("pair_by: example", '{"metrics": {"acc": [0]}}', '{"metrics": {"acc": [1]}}'),
    ],
)
def test_an_untested_paired_metric_renders_every_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: str, cand: str, base: str
) -> None:
    # This shape crashed the Markdown template ("internal error: TypeError").
    policy = write(
        tmp_path / "gate.yml",
        "candidate: c.jsonl\nbaseline: b.jsonl\n"
        f"metrics:\n  acc: {{direction: higher, {settings}}}\n",
    )
    write(tmp_path / "c.jsonl", cand + "\n")
    write(tmp_path / "b.jsonl", base + "\n")
    reports = ["--markdown", str(tmp_path / "r.md"), "--json", str(tmp_path / "r.json")]
    assert (
        main(["check", "--policy", str(policy), *reports, "--html", str(tmp_path / "r.html")]) == 1
    )
    assert "unreplicated" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "internal error" not in capsys.readouterr().err
    # The JSON report reads back (`rungate comment report.json` renders from it).
    from gate.report.json_read import read_json_report
    from gate.report.markdown import render_markdown

    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    again = render_markdown(read_json_report(text, source="r.json"))
    assert again == (tmp_path / "r.md").read_text(encoding="utf-8")


def test_data_in_an_error_cannot_start_a_workflow_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A `match:` mismatch quotes parameter values from the run files.
    hostile = "x\n::error::injected\n##[add-mask]foo\u001b[31m"
    policy = write(
        tmp_path / "gate.yml",
        "candidate: c.jsonl\nbaseline: b.jsonl\nmatch: [params.data]\n"
        "metrics:\n  acc: {direction: higher}\n",
    )
    write(tmp_path / "c.jsonl", json.dumps({"metrics": {"acc": 1}, "params": {"data": hostile}}))
    write(tmp_path / "b.jsonl", json.dumps({"metrics": {"acc": 1}, "params": {"data": "v1"}}))
    assert main(["check", "--policy", str(policy)]) == 2
    line = error_line(capsys)
    assert line.startswith(f"rungate: error: {policy}: match: ") and "\u001b" not in line


def test_a_stdout_that_cannot_encode_the_report_does_not_lose_the_verdict(
    policy: Path,
) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--policy", str(policy), "--markdown", "-"],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"## rungate: ? pass")  # the emoji replaced, not a crash


def test_a_run_file_that_would_block_or_never_end_is_refused(
    policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    assert main(["check", "--policy", str(policy), "--candidate", str(fifo)]) == 2
    assert f"{fifo}: not a regular file" in error_line(capsys)
    endless = tmp_path / "zero.json"
    endless.symlink_to("/dev/zero")  # reading it would never end
    assert main(["check", "--policy", str(policy), "--candidate", str(endless)]) == 2
    assert f"{endless}: not a regular file" in error_line(capsys)


def test_a_report_to_a_pipe_with_no_reader_does_not_hang(
    policy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gate.outputs

    monkeypatch.setattr(gate.outputs, "PIPE_READER_WAIT", 0.2)  # seconds; 10 by default
    fifo = tmp_path / "report.md"
    os.mkfifo(fifo)
    assert main(["check", "--policy", str(policy), "--markdown", str(fifo)]) == 2
    assert f"{fifo}: cannot write the report: a pipe with no reader" in error_line(capsys)


def test_a_step_too_large_for_a_float_orders_its_point_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = [{"step": int("9" * 400), "value": 0.5}, {"step": 1, "value": 0.9}]
    runs = [{"id": f"r{i}", "metrics": {"m": history}} for i in range(2)]
    write(tmp_path / "runs.json", json.dumps({"runs": runs}))
    policy = write(
        tmp_path / "gate.yml",
        "candidate: runs.json\nbaseline: runs.json\nmetrics: {m: {direction: higher}}\n",
    )
    assert main(["check", "--policy", str(policy), "--json", str(tmp_path / "r.json")]) == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["metrics"][0]["candidate"]["mean"] == 0.5  # the last step's value
