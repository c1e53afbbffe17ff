"""`rungate explain METRIC`: how one metric was judged, in plain words, for the person whose
pull request just went red: the data, the test and why, the numbers, the rule, and what
would change the verdict. Rendered from the result, like every report."""

from __future__ import annotations

from gate.report.escape import fmt_level, fmt_num, fmt_p, fmt_pct, one_line
from gate.report.wording import verdict_label
from gate.result import GateResult, MetricResult, SideSummary, Verdict
from gate.vocabulary import PAIR_BY_EXAMPLE, Correction, Direction, Mode, TestName

TESTS = {
    TestName.WELCH: "Welch's t-test on the runs' means, the default: it holds its false-alarm "
    "rate at the few runs ML teams have",
    TestName.BOOTSTRAP: "a bootstrap of the runs (the policy's `test: bootstrap`)",
    TestName.MANNWHITNEY: "the Mann-Whitney rank test (the policy's `test: mannwhitney`)",
    TestName.PAIRED_T: "a paired t-test on the differences of the pairs",
    TestName.WILCOXON: "the Wilcoxon signed-rank test on the pairs (the policy's choice)",
    TestName.SIGNFLIP: "a sign-flip permutation test on the pairs (the policy's choice)",
    TestName.PAIRED_BOOTSTRAP: "a paired bootstrap over the pairs (the policy's choice)",
    TestName.MCNEMAR: "McNemar's exact test on the examples the two sides disagree on",
    TestName.PREDICTION: "a prediction test: one run on a side, so the single run is compared "
    "with the other side's mean and spread",
}
CORRECTIONS = {Correction.HOLM: "Holm", Correction.BH: "Benjamini-Hochberg"}


def render_explanation(result: GateResult, metric: MetricResult) -> str:
    name = one_line(metric.name)
    failing = "fails the gate" if metric.fails_gate else "does not fail the gate"
    lines = [f"rungate explain: {name}: {verdict_label(metric.verdict)} ({failing})", ""]
    lines += ["The data", *_data(result, metric), ""]
    lines += ["The test", *_test(metric), ""]
    lines += ["The decision", *_decision(metric), ""]
    lines += ["What would change it", *_changes(metric)]
    return "\n".join(lines) + "\n"


def _side(label: str, description: str, side: SideSummary, unit: str) -> str:
    if side.mean is None:
        return f"  {label}: {one_line(description)}: no finite value"
    spread = "" if side.sd is None else f", sd {fmt_num(side.sd)}"
    diverged = f"; {side.non_finite} NaN or infinite" if side.non_finite else ""
    values = "value" if side.n == 1 else "values"
    return (
        f"  {label}: {one_line(description)}: {side.n} {values}, mean "
        f"{fmt_num(side.mean)}{unit}{spread}{diverged}"
    )


def _data(result: GateResult, metric: MetricResult) -> list[str]:
    unit = "" if metric.unit is None else f" {one_line(metric.unit, 20)}"
    lines = [
        _side("baseline", result.baseline, metric.baseline, unit),
        _side("candidate", result.candidate, metric.candidate, unit),
    ]
    better = "higher" if metric.direction is Direction.HIGHER else "lower"
    if metric.delta is not None:
        percent = "" if metric.delta_pct is None else f" ({fmt_pct(metric.delta_pct, signed=True)})"
        worse = (metric.delta < 0) == (metric.direction is Direction.HIGHER)
        lines.append(
            f"  change: candidate - baseline = {fmt_num(metric.delta, signed=True)}{percent}; "
            f"{better} is better, so this is {'worse' if worse and metric.delta else 'not worse'}"
        )
    if metric.paired_by is not None:
        what = "example" if metric.paired_by == PAIR_BY_EXAMPLE else one_line(metric.paired_by)
        lines.append(f"  paired by {what}: {metric.pairs} pairs")
    return lines


def _test(metric: MetricResult) -> list[str]:
    if metric.test is None:
        return ["  none: " + (metric.reasons[-1] if metric.reasons else "no test was possible")]
    lines = [f"  {TESTS[metric.test]}"]
    if metric.ci_low is not None or metric.ci_high is not None:
        level = "" if metric.ci_level is None else f"{fmt_level(metric.ci_level)} "
        about = metric.estimate_name or "change"
        lines.append(
            f"  {level}interval of the {about}: [{fmt_num(metric.ci_low)}, "
            f"{fmt_num(metric.ci_high)}]"
        )
    if metric.p_value is not None:
        lines.append(
            f"  p = {fmt_p(metric.p_value)}: how likely a change at least this bad is if the "
            "candidate were in fact no worse than the tolerance"
        )
    if metric.correction is not Correction.NONE and metric.p_adjusted is not None:
        method = CORRECTIONS.get(metric.correction, str(metric.correction))
        lines.append(
            f"  after the {method} correction over the gate's tested metrics: "
            f"p = {fmt_p(metric.p_adjusted)} (many metrics would otherwise raise false alarms)"
        )
    lines += [f"  note: {one_line(note, 1000)}" for note in metric.notes]
    return lines


def _decision(metric: MetricResult) -> list[str]:
    tolerance = "none" if metric.tolerance is None else fmt_num(metric.tolerance)
    spec = metric.tolerance_spec or ""
    written = f" ({one_line(spec)} as the policy writes it)" if spec.endswith("%") else ""
    rule = (
        "non-inferiority: it passes only when shown to be within the tolerance"
        if metric.mode is Mode.NONINFERIORITY
        else "detect: it fails when shown to be worse than the tolerance"
    )
    lines = [
        f"  tolerance: {tolerance}{written}; alpha {fmt_num(metric.alpha)}; mode {rule}",
    ]
    limits = [
        f"{word} {fmt_num(value)}"
        for word, value in (("at least", metric.at_least), ("at most", metric.at_most))
        if value is not None
    ]
    if limits:
        lines.append(f"  limits on the candidate mean: {', '.join(limits)}")
    lines += [f"  - {one_line(reason, 1000)}" for reason in metric.reasons]
    return lines


def _changes(metric: MetricResult) -> list[str]:
    runs = (
        f"; about {metric.runs_needed} runs a side would catch a drop of twice the tolerance"
        if metric.runs_needed is not None
        else ""
    )
    if metric.verdict is Verdict.REGRESSION:
        return [
            "  a candidate that is not worse than the tolerance: the gate found this one worse "
            "beyond reasonable doubt, so more runs alone are unlikely to change it",
            "  or a larger tolerance, if a drop this size is acceptable (a decision for the "
            "team, in the policy)",
        ]
    if metric.verdict is Verdict.MISSING:
        return ["  a candidate run that reports the metric (or a policy without it)"]
    if metric.verdict in (Verdict.INSUFFICIENT, Verdict.NO_BASELINE):
        return ["  more runs: 2 or more on either side make it a test"]
    if metric.detectable_drop is not None:
        return [
            f"  the gate could have caught a worsening of {fmt_num(metric.detectable_drop)} or "
            f"more (80% power){runs}",
            "  more runs narrow the interval, and so tell a real drop from noise",
        ]
    return ["  more runs, to narrow the interval"]
