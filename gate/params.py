"""Which run parameters differ between the candidate and the baseline.

A learning rate or data set that differs between the two sides explains a
change in the metrics, so the report lists such parameters. Seeds are meant
to differ and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from gate.model import Run
from gate.result import ParamDifference

ABSENT = "(not set)"


def is_seed(name: str) -> bool:
    return "seed" in name.lower()


def param_differences(
    candidate: Sequence[Run], baseline: Sequence[Run]
) -> tuple[ParamDifference, ...]:
    names = sorted({name for run in (*candidate, *baseline) for name in run.params})
    differences = []
    for name in names:
        if is_seed(name):
            continue
        cand_values = _values(candidate, name)
        base_values = _values(baseline, name)
        if cand_values != base_values:
            differences.append(ParamDifference(name, base_values, cand_values))
    return tuple(differences)


def _values(runs: Sequence[Run], name: str) -> tuple[str, ...]:
    return tuple(sorted({run.params.get(name, ABSENT) for run in runs}))
