"""The policy reader's two loaders (libyaml when present, pure Python for every problem)
build the same data and the same key lines."""

from __future__ import annotations

import pytest
import yaml

from gate.policy.yamldoc import _parsed, load_yaml

POLICY = """\
version: 1
candidate: runs/pr/
defaults: &common {direction: higher, tolerance: 0.005}
metrics:
  accuracy:
    <<: *common
    at_least: 0.94
  "val loss": {direction: lower, tolerance: 5%}
  latency_ms:
    direction: lower
    tolerance: 10%   # a comment
    at_most: 25
  flags: [yes, no, on, 0x1F, 1e3, .inf, ~, 2026-11-30]
"""


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_libyaml_and_python_read_the_same_document() -> None:
    fast = _parsed(yaml.CSafeLoader(POLICY), "p.yml")
    slow = _parsed(yaml.SafeLoader(POLICY), "p.yml")
    assert fast == slow
    assert fast[1][("metrics", "latency_ms", "at_most")] == 12


def test_a_problem_is_reported_as_the_python_loader_words_it() -> None:
    with pytest.raises(Exception, match=r"p.yml:3: not valid YAML") as caught:
        load_yaml("a: 1\nb: [1, 2\nc: 3\n", "p.yml")
    with pytest.raises(Exception) as again:
        _parsed(yaml.SafeLoader("a: 1\nb: [1, 2\nc: 3\n"), "p.yml")
    assert str(again.value.problem) in str(caught.value)  # type: ignore[attr-defined]
