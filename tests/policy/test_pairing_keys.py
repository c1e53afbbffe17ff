"""The policy keys of pairing by example key: ``max_unmatched`` and ``show_examples``."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import PolicyError
from gate.policy import load_policy
from gate.policy.pairing_keys import DEFAULT_UNMATCHED, UnmatchedLimit


def settings(tmp_path: Path, text: str) -> tuple[UnmatchedLimit, int]:
    path = tmp_path / "policy.yml"
    path.write_text(f"metrics:\n  acc: {{direction: higher, pair_by: example{text}}}\n")
    (spec,) = load_policy(path).metrics
    return spec.max_unmatched, spec.show_examples


@pytest.mark.parametrize(
    ("given", "limit", "spec"),
    [
        ("", DEFAULT_UNMATCHED, "5%"),
        (", max_unmatched: 0", UnmatchedLimit(0.0), "0%"),
        (", max_unmatched: 0.02", UnmatchedLimit(0.02), "2%"),
        (", max_unmatched: '1.5%'", UnmatchedLimit(0.015), "1.5%"),
        (", max_unmatched: 20", UnmatchedLimit(20.0, fraction=False), "20"),
    ],
)
def test_max_unmatched_is_a_share_or_a_count(
    tmp_path: Path, given: str, limit: UnmatchedLimit, spec: str
) -> None:
    found, shown = settings(tmp_path, given)
    assert found == limit and found.spec == spec and shown == 10


def test_a_share_and_a_count_are_exceeded_differently() -> None:
    assert UnmatchedLimit(0.05).exceeded(6, 100) and not UnmatchedLimit(0.05).exceeded(5, 100)
    assert UnmatchedLimit(3.0, fraction=False).exceeded(4, 10_000)
    assert not UnmatchedLimit(0.0).exceeded(0, 0)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (", max_unmatched: 1.5", r"max_unmatched: must be a share of the examples"),
        (", max_unmatched: '150%'", r"max_unmatched: must be a share"),
        (", max_unmatched: -1", r"max_unmatched: must be a share"),
        (", max_unmatched: true", r"max_unmatched: must be a share"),
        (", show_examples: -1", r"show_examples: must be a whole number from 0 to 1000"),
        (", show_examples: 5000", r"show_examples: must be a whole number from 0 to 1000"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, given: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message) as err:
        settings(tmp_path, given)
    assert "policy.yml:2" in str(err.value)
