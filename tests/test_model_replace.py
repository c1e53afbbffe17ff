"""``gate.model.replace``: what ``dataclasses.replace`` gives, for every kind of record."""

from __future__ import annotations

import dataclasses
from dataclasses import InitVar, dataclass, field
from typing import Any

import pytest
from support.results import every_verdict_result

from gate.model import replace
from gate.stats import Comparison
from gate.vocabulary import TestName


def test_a_result_replaced_equals_the_standard_copy() -> None:
    for metric in every_verdict_result().metrics:
        changes: dict[str, Any] = {"delta": 1.5, "notes": ("x",), "runs_needed": 7}
        ours, theirs = replace(metric, **changes), dataclasses.replace(metric, **changes)
        assert ours == theirs and type(ours) is type(theirs)
        assert ours is not metric and metric.runs_needed != 7  # the original is untouched
        with pytest.raises(dataclasses.FrozenInstanceError):
            ours.delta = 2.0  # type: ignore[misc]
    comparison = Comparison(TestName.WELCH, 0.1, -0.1, 0.3, 0.5, 0.2, 0.4, se=0.1, df=3.5)
    assert replace(comparison, p_worse=0.01) == dataclasses.replace(comparison, p_worse=0.01)
    assert hash(replace(comparison)) == hash(comparison)


def test_an_unknown_field_is_refused_as_by_the_standard_function() -> None:
    comparison = Comparison(TestName.WELCH, 0.1, -0.1, 0.3, 0.5, 0.2, 0.4)
    with pytest.raises(TypeError):
        replace(comparison, nonsense=1)


@dataclass(frozen=True)
class _Checked:
    value: int
    doubled: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "doubled", 2 * self.value)


@dataclass
class _WithInitVar:
    value: int
    scale: InitVar[int] = 1


def test_records_with_their_own_init_steps_go_through_their_init() -> None:
    assert replace(_Checked(2), value=5).doubled == 10
    assert replace(_WithInitVar(2), value=3) == dataclasses.replace(_WithInitVar(2), value=3)
