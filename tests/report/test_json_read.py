"""Reading a JSON report back: the same result, and so the same Markdown report."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.results import EXPECTED_SHAPES, check_expected

import gate
from gate.errors import UsageError
from gate.report.json_read import read_json_report
from gate.report.json_report import render_json
from gate.report.markdown import render_markdown
from gate.result import GateResult, MetricResult, ParamDifference, SideSummary, Verdict
from gate.vocabulary import Correction, Direction, Mode, TestName


def _finite(value: object) -> object:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def as_json_holds_it(result: GateResult) -> GateResult:
    """``result`` with NaN and infinities as None: JSON writes them as null."""

    def finite(record: MetricResult | SideSummary) -> dict[str, object]:
        return {f.name: _finite(getattr(record, f.name)) for f in dataclasses.fields(record)}

    metrics = tuple(
        dataclasses.replace(
            metric,
            **{
                **finite(metric),
                "baseline": SideSummary(**finite(metric.baseline)),  # type: ignore[arg-type]
                "candidate": SideSummary(**finite(metric.candidate)),  # type: ignore[arg-type]
            },
        )
        for metric in result.metrics
    )
    return dataclasses.replace(result, metrics=metrics)


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPES))
def test_every_expected_shape_reads_back_to_the_same_report(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gate, "__version__", "0.0.0")  # as the expected files were written
    result = EXPECTED_SHAPES[name]()
    text = render_json(result)
    read = read_json_report(text, source="report.json")
    assert render_markdown(read) == render_markdown(as_json_holds_it(result))
    assert render_json(read) == text
    if name != "every_verdict":  # the one with NaN and infinities, which JSON cannot hold
        check_expected(f"{name}.md", render_markdown(read))


def test_what_json_cannot_hold_reads_back_as_not_computed() -> None:
    read = read_json_report(render_json(EXPECTED_SHAPES["every_verdict"]()), source="r")
    throughput = next(metric for metric in read.metrics if metric.name == "throughput")
    assert throughput.candidate == SideSummary(n=4, mean=None, sd=None, non_finite=4)
    assert "| throughput | 🆕 no baseline | — (n=0) | — (n=4, 4 non-finite) |" in (
        render_markdown(read)
    )


def test_new_keys_are_ignored_and_the_metric_alpha_is_the_gates() -> None:
    text = render_json(EXPECTED_SHAPES["passing"]()).replace('{\n  "schema', '{"new": 1, "schema')
    read = read_json_report(text, source="r")
    assert read == EXPECTED_SHAPES["passing"]()
    assert read.metrics[0].alpha == read.alpha


def test_an_error_names_the_file_and_the_key() -> None:
    text = render_json(EXPECTED_SHAPES["passing"]()).replace('"n": 5', '"n": "5"', 1)
    with pytest.raises(UsageError) as caught:
        read_json_report(text, source="artifact/report.json")
    assert str(caught.value) == (
        'artifact/report.json: metrics[0].baseline.n: expected a whole number >= 0, got "5"'
    )


texts = st.text(max_size=20)
numbers = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
counts = st.integers(min_value=0, max_value=10**6)
sides = st.builds(SideSummary, n=counts, mean=numbers, sd=numbers, non_finite=counts)


@st.composite
def metrics(draw: st.DrawFn) -> MetricResult:
    verdict = draw(st.sampled_from(list(Verdict)))
    paired = draw(st.booleans())  # a paired comparison names its test and pairs
    return MetricResult(
        name=draw(texts),
        direction=draw(st.sampled_from(list(Direction))),
        verdict=verdict,
        baseline=draw(sides),
        candidate=draw(sides),
        alpha=0.05,
        mode=draw(st.sampled_from(list(Mode))),
        fails_gate=verdict.fails_gate or draw(st.booleans()),
        test=draw(st.sampled_from(list(TestName)) if paired else st.none()),
        paired_by=draw(texts) if paired else None,
        pairs=draw(counts) if paired else None,
        delta=draw(numbers),
        p_value=draw(numbers),
        p_adjusted=draw(numbers),
        correction=draw(st.sampled_from(list(Correction))),
        runs_needed=draw(st.one_of(st.none(), counts)),
        tolerance=draw(numbers),
        tolerance_spec=draw(st.one_of(st.none(), texts)),
        at_most=draw(numbers),
        reasons=tuple(draw(st.lists(texts, max_size=2))),
        notes=tuple(draw(st.lists(texts, max_size=2))),
    )


results = st.builds(
    GateResult,
    metrics=st.lists(metrics(), max_size=4).map(tuple),
    alpha=st.just(0.05),
    candidate=texts,
    baseline=texts,
    candidate_runs=counts,
    baseline_runs=counts,
    param_differences=st.lists(
        st.builds(
            ParamDifference,
            texts,
            st.lists(texts, max_size=3).map(tuple),
            st.lists(texts, max_size=3).map(tuple),
        ),
        max_size=2,
    ).map(tuple),
    notes=st.lists(texts, max_size=2).map(tuple),
    correction=st.sampled_from(list(Correction)),
)


@settings(max_examples=200, deadline=None)
@given(results)
def test_any_result_reads_back_as_it_was(result: GateResult) -> None:
    read = read_json_report(render_json(result), source="r")
    # The JSON lists the metrics worst first: read back, they are in that order.
    assert read == dataclasses.replace(result, metrics=tuple(result.worst_first()))
    assert render_markdown(read) == render_markdown(result)
