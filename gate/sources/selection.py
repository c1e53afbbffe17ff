"""Narrow a run set: keep the runs whose fields match, then the newest few."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gate.errors import NoRunsError, RunSetError
from gate.model import Run
from gate.sources.run_values import shown

MAX_HINTED_VALUES = 5
_NEEDS_QUOTES = frozenset(" ,=()'\"")


def select_runs(
    runs: Sequence[Run],
    *,
    where: Mapping[str, tuple[str, ...]],
    latest: int | None,
    source: str,
) -> list[Run]:
    """The runs whose every ``where`` field has one of its values, then the newest ``latest``.

    Values are display strings (see ``gate.model.display_value``). ``source``
    names the run set in errors.
    """
    if latest is not None and latest < 1:
        raise ValueError(f"latest must be 1 or more, not {latest}")
    matching = [run for run in runs if _matches(run, where)]
    if not matching:
        raise _nothing_matched(runs, where, source)
    return matching if latest is None else _newest(matching, latest, source)


def describe_selection(where: Mapping[str, tuple[str, ...]], latest: int | None) -> str:
    """The selection in words (``where tags.branch=main, latest 5``); empty when there is none."""
    parts = []
    if where:
        conditions = (_condition(field, values) for field, values in where.items())
        parts.append("where " + " and ".join(conditions))
    if latest is not None:
        parts.append(f"latest {latest}")
    return ", ".join(parts)


def _matches(run: Run, where: Mapping[str, tuple[str, ...]]) -> bool:
    return all(run.field_value(field) in values for field, values in where.items())


def _newest(matching: list[Run], latest: int, source: str) -> list[Run]:
    timed = [(run.start_time, run) for run in matching if run.start_time is not None]
    if not timed:
        return matching[-latest:]  # file order: the last runs are the newest
    if len(timed) < len(matching):
        untimed = next(run for run in matching if run.start_time is None)
        raise RunSetError(
            f"cannot pick the latest {latest} runs: run {shown(untimed.id)} ({untimed.origin}) "
            f"has no start_time, but {len(timed)} of the {len(matching)} matching runs have one; "
            "give every run a start_time, or none (then file order counts)",
            source=source,
        )
    timed.sort(key=lambda pair: pair[0])
    return [run for _, run in timed[-latest:]]


def _nothing_matched(
    runs: Sequence[Run], where: Mapping[str, tuple[str, ...]], source: str
) -> NoRunsError:
    searched = f"searched {len(runs)} run{'' if len(runs) == 1 else 's'}"
    if not where:
        return NoRunsError(f"there are no runs to select from ({searched})", source=source)
    culprit = next(
        (field for field in where if not any(_matches(run, {field: where[field]}) for run in runs)),
        None,
    )
    if culprit is None:
        culprit = next(iter(where))
        found = f"no run matches {describe_selection(where, None)} as a whole"
    else:
        found = f"no run matches where {_condition(culprit, where[culprit])}"
    return NoRunsError(f"{found} ({searched}); {_values_hint(runs, culprit)}", source=source)


def _values_hint(runs: Sequence[Run], field: str) -> str:
    taken = sorted({value for run in runs if (value := run.field_value(field)) is not None})
    if not taken:
        return f"no run has {field}"
    listed = ", ".join(shown(value) for value in taken[:MAX_HINTED_VALUES])
    more = len(taken) - MAX_HINTED_VALUES
    return f"{field} takes {listed}" + (f" and {more} more" if more > 0 else "")


def _condition(field: str, values: tuple[str, ...]) -> str:
    if len(values) == 1:
        return f"{field}={_plain(values[0])}"
    return f"{field} in ({', '.join(_plain(value) for value in values)})"


def _plain(value: str) -> str:
    """The value bare when that reads unambiguously, else quoted as a Python string."""
    if value and value.isprintable() and not _NEEDS_QUOTES.intersection(value):
        return value
    return shown(value)
