"""`rungate schema`: print the policy's JSON Schema, for editors (see gate.policy.json_schema)."""

from __future__ import annotations

import argparse
import json

from gate.commands.arguments import Context
from gate.policy.json_schema import policy_schema


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_schema()


def run_schema() -> int:
    print(json.dumps(policy_schema(), indent=2, ensure_ascii=False))
    return 0
