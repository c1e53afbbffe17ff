"""Metric policies for the core's tests, built by the policy's own key table.

``metric("m", test="paired_t", tolerance="5%")`` takes values as a policy file
writes them and parses each with the parser of its key, so the tests build
exactly what ``rungate check`` would; a ``Tolerance`` may be given as it is.
"""

from __future__ import annotations

from gate.policy import MetricPolicy
from gate.policy.metrics import METRIC
from gate.policy.values import Tolerance
from gate.policy.yamldoc import YamlDocument

_DOC = YamlDocument(data=None, source="<test policy>")


def metric(name: str, direction: object = "higher", **settings: object) -> MetricPolicy:
    path = ("metrics", name)
    parsed = {
        key: value if isinstance(value, Tolerance) else METRIC.keys[key].parse(_DOC, path, value)
        for key, value in {"direction": direction, **settings}.items()
    }
    return METRIC.build(_DOC, path, parsed, name=name)
