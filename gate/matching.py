"""Fields the two sides must share (``match:``), and fields that differ between them.

A change of data set or evaluation split makes any comparison meaningless, so
``match:`` fields that differ stop the gate. Other differences (a learning
rate, a library version, a hardware tag) explain changes in the metrics, so
the report lists them. Seeds are meant to differ and are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from gate.errors import RunSetError
from gate.model import Run
from gate.result import ParamDifference

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
    params = sorted({name for run in (*candidate, *baseline) for name in run.params})
    for name in params:
        if "seed" in name.lower():
            continue
        cand, base = _values(candidate, f"params.{name}"), _values(baseline, f"params.{name}")
        if cand != base:
            differences.append(ParamDifference(name, base, cand))
    tags = sorted({name for run in (*candidate, *baseline) for name in run.tags})
    for name in tags:
        cand, base = _values(candidate, f"tags.{name}"), _values(baseline, f"tags.{name}")
        if cand != base and len(cand) == 1 and len(base) == 1:
            differences.append(ParamDifference(f"tags.{name}", base, cand))
    return tuple(differences)


def _values(runs: Sequence[Run], field: str) -> tuple[str, ...]:
    return tuple(sorted({run.field_value(field) or NOT_SET for run in runs}))


def ungated(declared: Collection[str], reported: Collection[str]) -> tuple[str, ...]:
    """A note naming the metrics the candidate reports that the policy does not gate."""
    names = sorted(set(reported) - set(declared))
    if not names:
        return ()
    more = f" and {len(names) - 10} more" if len(names) > 10 else ""
    return (f"not gated (not in the policy): {', '.join(names[:10])}{more}",)
