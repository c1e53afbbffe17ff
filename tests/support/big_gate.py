"""A gate whose report is too long for a comment, as files ``rungate check`` reads.

Many metrics pass and one, ``f1``, regresses; the runs of the two sides carry
whatever parameters a test gives, so the report's "Parameters that differ" table
can hold lookalikes of a failing metric.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

PASSING = 400  # about 100,000 characters of report: more than a comment holds
FAILING = "f1"


def write_big_gate(
    folder: Path, *, candidate_params: Mapping[str, str], baseline_params: Mapping[str, str]
) -> Path:
    """The policy file of the gate, with its two run files beside it."""
    names = [f"metric_{i:03d}" for i in range(PASSING)]
    for side, params, drop in (
        ("candidate", candidate_params, 0.2),
        ("baseline", baseline_params, 0),
    ):
        runs = [
            {
                "id": f"{side}-{seed}",
                "metrics": {
                    FAILING: 0.9 - drop + seed / 1000,
                    **{n: 0.5 + seed / 100 for n in names},
                },
                "params": dict(params),
            }
            for seed in range(3)
        ]
        (folder / f"{side}.json").write_text(json.dumps(runs), encoding="utf-8")
    metrics = "".join(f"  {name}: {{direction: higher}}\n" for name in [FAILING, *names])
    policy = folder / "policy.yml"
    policy.write_text(
        f"candidate: candidate.json\nbaseline: baseline.json\nmetrics:\n{metrics}", encoding="utf-8"
    )
    return policy
