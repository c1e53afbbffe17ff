"""Fuzzing the whole command: random policies and run files through ``main``.

Whatever the input, rungate answers with exit 0, 1 or 2; an exit 2 is exactly one
line that names a file or a place, never a traceback or an "internal error"; and no
input is changed. Warnings are errors in the test suite, so a numpy warning that
would reach a user's stderr fails here too.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate.cli import main

HOSTILE = st.sampled_from(
    [
        "x\n::error::injected",
        "##[set-output name=verdict]pass",
        "\x1b[31mred",
        "@octocat",
        "<img src=x>",
        "${HOME}",
        "❌ adam",
        "| a | b |",
        "\x00",
        "",
        " ",
        "1e999",
        "nan",
    ]
)
TEXT = st.one_of(HOSTILE, st.text(max_size=12))
NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 1, 0.5, 1e155, -1e155, 1e-300, 2**64]),
)
SCALAR = st.one_of(NUMBER, TEXT, st.booleans(), st.none())
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)

METRIC_KEYS = [
    "direction",
    "tolerance",
    "test",
    "alpha",
    "at_least",
    "at_most",
    "non_finite",
    "resamples",
    "mode",
    "pair_by",
    "statistic",
    "aggregate",
]
GOOD = {
    "direction": st.sampled_from(["higher", "lower"]),
    "tolerance": st.sampled_from([0, 0.01, "5%", "0%", "200%"]),
    "test": st.sampled_from(
        ["welch", "bootstrap", "mannwhitney", "paired_t", "wilcoxon", "signflip", "mcnemar"]
    ),
    "alpha": st.sampled_from([0.05, 0.5, 0.001]),
    "at_least": NUMBER,
    "at_most": NUMBER,
    "non_finite": st.sampled_from(["fail", "ignore"]),
    "resamples": st.sampled_from([100, 200]),
    "mode": st.sampled_from(["detect", "noninferiority"]),
    "pair_by": st.sampled_from(["params.seed", "example", "id"]),
    "statistic": st.sampled_from(["mean", "median", "iqm"]),
    "aggregate": st.sampled_from(["last", "min", "mean_last_2"]),
}


@st.composite
def metric_settings(draw: st.DrawFn) -> dict[str, object]:
    chosen = draw(st.lists(st.sampled_from(METRIC_KEYS), max_size=4, unique=True))
    settings_: dict[str, object] = {"direction": draw(GOOD["direction"])}
    for key in chosen:
        settings_[key] = draw(st.one_of(GOOD[key], VALUE) if key != "direction" else GOOD[key])
    return settings_


@st.composite
def policies(draw: st.DrawFn) -> str:
    metrics = draw(
        st.dictionaries(
            st.sampled_from(["acc", "loss", "m", "❌ x", "@a"]),
            metric_settings(),
            min_size=1,
            max_size=3,
        )
    )
    document: dict[str, object] = {
        "candidate": "cand.jsonl",
        "baseline": "base.jsonl",
        "metrics": metrics,
    }
    if draw(st.booleans()):
        document["match"] = draw(st.one_of(st.just(["params.data"]), VALUE))
    if draw(st.booleans()):
        document[draw(st.sampled_from(["correction", "alpha", "version", "candidate"]))] = draw(
            VALUE
        )
    text = yaml.safe_dump(document, allow_unicode=True)
    if draw(st.integers(0, 9)) == 0:  # now and then, a broken document
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(TEXT) + text[cut:]
    return text


@st.composite
def run_lines(draw: st.DrawFn) -> str:
    runs = []
    for index in range(draw(st.integers(0, 4))):
        metrics = draw(
            st.dictionaries(
                st.sampled_from(["acc", "loss", "m", "❌ x"]),
                st.one_of(NUMBER, st.lists(NUMBER, min_size=1, max_size=5), VALUE),
                max_size=3,
            )
        )
        run: dict[str, object] = {"id": f"r{index}", "metrics": metrics}
        if draw(st.booleans()):
            run["params"] = {"seed": draw(st.integers(0, 2)), "data": draw(TEXT)}
        if draw(st.integers(0, 5)) == 0:
            run[draw(TEXT)] = draw(VALUE)
        runs.append(json.dumps(run, allow_nan=True))
    return "\n".join(runs) + "\n"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy=policies(), candidate=run_lines(), baseline=run_lines())
def test_any_input_gives_a_verdict_or_one_line(policy: str, candidate: str, baseline: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "inputs"
        inputs.mkdir()
        (inputs / "gate.yml").write_text(policy, encoding="utf-8")
        (inputs / "cand.jsonl").write_text(candidate, encoding="utf-8")
        (inputs / "base.jsonl").write_text(baseline, encoding="utf-8")
        before = digest(inputs)
        out, err = io.StringIO(), io.StringIO()
        reports = Path(folder) / "reports"
        argv = ["check", "--policy", str(inputs / "gate.yml")]
        for kind in ("markdown", "json", "html", "junit"):
            argv += [f"--{kind}", str(reports / f"report.{kind}")]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        assert code in (0, 1, 2)
        assert "Traceback" not in err.getvalue()
        if code == 2:
            lines = err.getvalue().splitlines()
            assert len(lines) == 1, lines
            assert lines[0].startswith("rungate: error: "), lines[0]
            assert str(inputs) in lines[0], lines[0]  # it names the file it is about
        else:
            assert err.getvalue() == "", err.getvalue()
            assert (reports / "report.json").exists()
        assert digest(inputs) == before
