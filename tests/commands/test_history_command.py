"""`rungate history`'s output: the shifts as lines and as a Markdown table, escaped."""

from __future__ import annotations

import numpy as np
from support.markdown_tokens import table_rows
from support.policies import metric
from support.recorded import recorded, sha

from gate.commands.history import run_history, shift_lines, shifts_markdown
from gate.history import Shift
from gate.policy import Policy
from gate.report.escape import one_line

HOSTILE = "acc|<b>@team #12 `x`\n::error::"


def shift(name: str = "accuracy", *, before: float = 0.91, after: float = 0.8634) -> Shift:
    return Shift(name, sha(30), 30, sha(29), before, after, 2e-7, 30, 12, after < before)


def test_a_line_a_shift() -> None:
    assert shift_lines([shift(), shift("loss", before=0.0, after=0.25)]) == [
        f"{sha(30)[:7]}  accuracy  0.91 → 0.8634  (-5.1%, worse)  p < 0.001",
        f"{sha(30)[:7]}  loss  0 → 0.25  (+0.25, better)  p < 0.001",
    ]
    assert shift_lines([], 40) == ["no shifts in 40 recorded commits"]


def test_a_line_holds_no_control_character_from_a_name() -> None:
    (line,) = shift_lines([shift(HOSTILE)])
    assert "\n" not in line and line.count("::error::") == 1  # inert: not at a line start


def test_the_markdown_table_escapes_names() -> None:
    table = shifts_markdown([shift(HOSTILE), shift()])
    rows = table_rows(table)
    assert len(rows) == 3 and all(len(row) == 7 for row in rows)  # no extra column
    assert rows[1][1].replace("\u200d", "") == one_line(HOSTILE)  # shown as it is, inert
    assert "\n::error::" not in table
    assert rows[2][1] == "accuracy" and rows[2][4] == "-5.1% (worse)"
    assert shifts_markdown([]) == "No shifts in main's recorded history.\n"


def test_the_command_prints_the_shifts_it_detects() -> None:
    rng = np.random.default_rng(1)
    values = [[v] for v in np.r_[rng.normal(0.9, 0.01, 30), rng.normal(0.85, 0.01, 15)]]
    policy = Policy(metrics=(metric("accuracy", "higher"),))
    written: list[str] = []
    assert run_history(policy=policy, records=recorded(values), write=written.append) == 0
    (text,) = written
    assert text.startswith(f"{sha(30)[:7]}  accuracy  0.8993 → 0.8494  (-5.6%, worse)")
    written.clear()
    assert (
        run_history(policy=policy, records=recorded(values), markdown=True, write=written.append)
        == 0
    )
    assert written[0].startswith("| Commit |")


def test_no_shift_is_one_line_counting_commits_once() -> None:
    records = recorded([[0.9], [0.91], [0.9]])
    policy = Policy(metrics=(metric("accuracy", "higher"),))
    written: list[str] = []
    assert run_history(policy=policy, records=(*records, records[1]), write=written.append) == 0
    assert written == ["no shifts in 3 recorded commits"]
