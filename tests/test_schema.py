"""The policy's JSON Schema: made from the parser's key tables, published, and in agreement
with the parser on every example policy of the docs."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml
from support.paths import ROOT

from gate.cli import main
from gate.policy.json_schema import policy_schema

BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
PUBLISHED = ROOT / "docs" / "policy.schema.json"


def example_policies() -> list[tuple[str, str]]:
    found = [
        (str(path.relative_to(ROOT)), path.read_text()) for path in ROOT.glob("examples/**/*.yml")
    ]
    for name in ("README.md", "docs/sources.md", "docs/statistics.md", "docs/github-action.md"):
        for number, text in enumerate(BLOCK.findall((ROOT / name).read_text()), 1):
            document = yaml.safe_load(text)
            if isinstance(document, dict) and (
                "metrics" in document or "candidate" in document or "baseline" in document
            ):
                found.append((f"{name} #{number}", text))
    return found


def validator() -> jsonschema.Draft202012Validator:
    schema = policy_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(
    ("where", "text"), example_policies(), ids=[w for w, _ in example_policies()]
)
def test_every_example_policy_validates(where: str, text: str) -> None:
    document = yaml.safe_load(text)
    if "metrics" not in document:  # a fragment that shows a source only
        document["metrics"] = {"accuracy": {"direction": "higher"}}
    errors = [error.message for error in validator().iter_errors(document)]
    assert errors == [], where


def test_enough_examples_were_found() -> None:
    assert len(example_policies()) >= 10


@pytest.mark.parametrize(
    "document",
    [
        {"metrics": {"acc": {"direction": "higher", "tolerence": 1}}},  # a typo
        {"metrics": {"acc": {"direction": "up"}}},
        {"metrics": {"acc": {"tolerance": 0.01}}},  # no direction
        {"metrics": {"acc": {"direction": "higher"}}, "aplha": 0.1},
        {"metrics": {"acc": {"direction": "higher"}}, "baseline": {"mlflow": {"experimnt": "x"}}},
        {"metrics": {"acc": {"direction": "higher"}}, "candidate": {"path": "r/", "latest": 0}},
        {"metrics": {}},
    ],
)
def test_a_mistake_is_rejected(document: dict[str, object]) -> None:
    assert list(validator().iter_errors(document)), document


def test_the_published_schema_is_the_generated_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == policy_schema()
    assert PUBLISHED.read_text(encoding="utf-8") == printed, (
        "docs/policy.schema.json is stale: rungate schema > docs/policy.schema.json"
    )
