"""`rungate schema`: print the policy's JSON Schema, for editors (see gate.policy.json_schema)."""

from __future__ import annotations

import json

from gate.policy.json_schema import policy_schema


def run_schema() -> int:
    print(json.dumps(policy_schema(), indent=2, ensure_ascii=False))
    return 0
