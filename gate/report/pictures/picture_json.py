"""A metric's picture data in the JSON report, and read back from it (docs/json.md).

Main's history is long and shared by every metric, so the report lists its commits
once (``history_commits``) and each metric's trend names them by index; and it keeps
only each trend's last ``JSON_TREND_COMMITS`` commits, more than the comment's
sparkline needs, so that 200 metrics of 1,000 commits stay a report of about a
megabyte rather than twenty.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol

from gate.errors import UsageError
from gate.result import GateResult, MetricPicture, TrendPoint

JSON_TREND_COMMITS = 50


class JsonKinds(Protocol):
    """The checks of ``gate.report.json_read``'s reader that a picture needs."""

    def error(self, place: str, message: str) -> UsageError: ...
    def mapping(self, value: object, place: str) -> dict[str, object]: ...
    def array(self, value: object, place: str) -> list[object]: ...
    def strings(self, value: object, place: str) -> tuple[str, ...]: ...
    def count(self, value: object, place: str) -> int: ...
    def number(self, value: object, place: str) -> float: ...


def history_commits(result: GateResult) -> list[str]:
    """Every commit of every metric's trend, each once."""
    seen: dict[str, None] = {}
    for metric in result.metrics:
        for point in metric.picture.trend[-JSON_TREND_COMMITS:]:
            seen.setdefault(point.commit)
    return list(seen)


def picture_json(picture: MetricPicture, index: Mapping[str, int]) -> dict[str, object]:
    return {
        "baseline": [v for v in picture.baseline if math.isfinite(v)],
        "candidate": [v for v in picture.candidate if math.isfinite(v)],
        "trend": [
            [index[p.commit], p.mean, p.runs]
            for p in picture.trend[-JSON_TREND_COMMITS:]
            if math.isfinite(p.mean)
        ],
        "shifts": list(picture.shifts),
    }


def read_picture(kinds: JsonKinds, value: object, at: str, commits: Sequence[str]) -> MetricPicture:
    """The picture of a metric; absent (a report from before pictures) means empty."""
    if value is None:
        return MetricPicture()
    fields = kinds.mapping(value, at)

    def numbers(key: str) -> tuple[float, ...]:
        place = f"{at}.{key}"
        items = kinds.array(fields.get(key, []), place)
        return tuple(kinds.number(item, f"{place}[{i}]") for i, item in enumerate(items))

    trend = []
    for i, item in enumerate(kinds.array(fields.get("trend", []), f"{at}.trend")):
        place = f"{at}.trend[{i}]"
        entry = kinds.array(item, place)
        if len(entry) != 3:
            raise kinds.error(place, "expected [commit index, mean, runs]")
        commit = kinds.count(entry[0], f"{place}[0]")
        if commit >= len(commits):
            raise kinds.error(
                f"{place}[0]", f"is {commit}, but history_commits has {len(commits)} entries"
            )
        mean = kinds.number(entry[1], f"{place}[1]")
        trend.append(TrendPoint(commits[commit], mean, kinds.count(entry[2], f"{place}[2]")))
    return MetricPicture(
        candidate=numbers("candidate"),
        baseline=numbers("baseline"),
        trend=tuple(trend),
        shifts=kinds.strings(fields.get("shifts", []), f"{at}.shifts"),
    )
