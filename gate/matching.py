"""Fields the two sides must share (``match:``), and fields that differ between them.

A change of data set or evaluation split makes any comparison meaningless, so
``match:`` fields that differ stop the gate. Other differences (a learning
rate, a library version, a hardware tag) explain changes in the metrics, so
the report lists them. Seeds are meant to differ and are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from gate.errors import RunSetError
from gate.model import Run, RunSet
from gate.result import ParamDifference
from gate.vocabulary import Direction

NOT_SET = "(not set)"


def check_match(fields: Sequence[str], candidate: Sequence[Run], baseline: Sequence[Run]) -> None:
    """Stop with an input error when a ``match:`` field differs between the sides."""
    problems = []
    for field in fields:
        cand, base = _values(candidate, field), _values(baseline, field)
        if cand != base or len(cand) > 1:
            problems.append(f"{field}: baseline {', '.join(base)}; candidate {', '.join(cand)}")
    if problems:
        raise RunSetError(
            "the runs do not match on `match:` fields, so they cannot be compared: "
            + "; ".join(problems)
        )


def field_differences(
    candidate: Sequence[Run], baseline: Sequence[Run]
) -> tuple[ParamDifference, ...]:
    """Params whose values differ between the sides, and tags constant within each side
    that differ (a commit, a library version); per-run tags such as names are left out."""
    differences = []
    cand, base = _by_name(candidate, "params"), _by_name(baseline, "params")
    for name in sorted(cand.keys() | base.keys()):
        if "seed" in name.lower():
            continue
        cand_values, base_values = cand.get(name, (NOT_SET,)), base.get(name, (NOT_SET,))
        if cand_values != base_values:
            differences.append(ParamDifference(name, base_values, cand_values))
    cand, base = _by_name(candidate, "tags"), _by_name(baseline, "tags")
    for name in sorted(cand.keys() | base.keys()):
        cand_values, base_values = cand.get(name, (NOT_SET,)), base.get(name, (NOT_SET,))
        if cand_values != base_values and len(cand_values) == 1 and len(base_values) == 1:
            differences.append(ParamDifference(f"tags.{name}", base_values, cand_values))
    return tuple(differences)


def _by_name(runs: Sequence[Run], section: str) -> dict[str, tuple[str, ...]]:
    """Each param (or tag) name's sorted values over ``runs``, with ``NOT_SET`` when some
    run lacks it: one pass over the runs, so a name in every run costs no more than one."""
    seen: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for run in runs:
        for name, value in getattr(run, section).items():
            seen.setdefault(name, set()).add(value or NOT_SET)
            counts[name] = counts.get(name, 0) + 1
    return {
        name: tuple(sorted(values | ({NOT_SET} if counts[name] < len(runs) else set())))
        for name, values in seen.items()
    }


def _values(runs: Sequence[Run], field: str) -> tuple[str, ...]:
    return tuple(sorted({run.field_value(field) or NOT_SET for run in runs}))


def ungated(declared: Collection[str], reported: Collection[str]) -> tuple[str, ...]:
    """A note naming the metrics the candidate reports that the policy does not gate."""
    names = sorted(set(reported) - set(declared))
    if not names:
        return ()
    more = f" and {len(names) - 10} more" if len(names) > 10 else ""
    return (f"not gated (not in the policy): {', '.join(names[:10])}{more}",)


def logged_direction(name: str, policy: Direction | None, baseline: RunSet) -> Direction:
    """The policy's direction, else the one the baseline's logs give (lm-eval's
    ``higher_is_better``; main's recorded history keeps it). Never the candidate's: a
    pull request could change its own task's ``higher_is_better`` and turn a regression
    into an improvement. A direction neither gives stops the gate."""
    if policy is not None:
        return policy
    if name in baseline.directions:
        return baseline.directions[name]
    raise RunSetError(
        f"set `direction: higher` or `lower` for {name!r}: the baseline's logs do not say "
        "which way is better (the candidate's are not taken: a pull request could change them)"
    )
