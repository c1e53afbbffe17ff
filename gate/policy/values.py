"""The values a policy key may take, and their validation.

Each parser takes the YAML document, the key's path and its value, and returns
the checked value or raises a ``PolicyError`` naming the file, line and key.
The tables in ``gate.policy.metrics`` and ``gate.policy.sources`` say which
key takes which parser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from gate.errors import PolicyError
from gate.model import display_value, is_valid_field_path
from gate.policy.yamldoc import Path_, YamlDocument, did_you_mean
from gate.vocabulary import PAIR_BY_EXAMPLE, Aggregate, Word

W = TypeVar("W", bound=Word)
T = TypeVar("T")
Where = tuple[tuple[str, tuple[str, ...]], ...]

# What gate.policy.json_schema needs to know of the parsers made by the factories below.
CHOICES_OF: dict[object, tuple[str, ...]] = {}  # a word() parser -> its words
WRAPPED_BY: dict[object, object] = {}  # a configured() parser -> the parser it wraps

PERCENT = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*%\s*$")


@dataclass(frozen=True)
class Tolerance:
    """How much worsening is tolerated: absolute, or a fraction of the baseline mean."""

    value: float
    relative: bool = False

    @property
    def spec(self) -> str:
        return f"{self.value * 100:g}%" if self.relative else f"{self.value:g}"

    def absolute(self, baseline_mean: float) -> float:
        return self.value * abs(baseline_mean) if self.relative else self.value


NO_TOLERANCE = Tolerance(0.0)


def configured(
    parse: Callable[[YamlDocument, Path_, object], T],
) -> Callable[[YamlDocument, Path_, object], T]:
    """``parse``, after ``${NAME}`` in the value (or its list items) is expanded: for the
    keys that configure where runs come from, never for text a report shows."""

    def parse_expanded(doc: YamlDocument, path: Path_, value: object) -> T:
        if isinstance(value, str):
            value = doc.expanded(path, value)
        elif isinstance(value, list):
            value = [
                doc.expanded((*path, index), item) if isinstance(item, str) else item
                for index, item in enumerate(value)
            ]
        return parse(doc, path, value)

    WRAPPED_BY[parse_expanded] = parse
    return parse_expanded


def word(
    kind: type[W], only: tuple[W, ...] | None = None
) -> Callable[[YamlDocument, Path_, object], W]:
    """A parser of one word of the vocabulary ``kind`` (``higher``, ``holm`` ...), or of
    the words ``only`` names (the others are the gate's own, never a policy's)."""
    choices = tuple(member.value for member in (kind if only is None else only))

    def parse(doc: YamlDocument, path: Path_, value: object) -> W:
        if isinstance(value, str) and value in choices:
            return kind(value)
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        raise doc.error(path, f"must be one of {', '.join(choices)}, not {value!r}{hint}")

    CHOICES_OF[parse] = choices
    return parse


def number(doc: YamlDocument, path: Path_, value: object) -> float:
    # YAML 1.1 reads `1e-3` (no dot) as a string, so numeric strings are accepted too.
    found: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            found = float(value)
        except OverflowError:  # an integer too large for a float
            found = None
    elif isinstance(value, str) and len(value) <= 100:
        try:
            found = float(value)
        except ValueError:
            found = None
    if found is None or not math.isfinite(found):
        raise doc.error(path, f"must be a finite number, not {_shown(value)}")
    return found


def alpha(doc: YamlDocument, path: Path_, value: object) -> float:
    level = number(doc, path, value)
    if not 0 < level <= 0.5:
        raise doc.error(
            path, f"must be in (0, 0.5] (a one-sided significance level), not {level:g}"
        )
    return level


def tolerance(doc: YamlDocument, path: Path_, value: object) -> Tolerance:
    if isinstance(value, str) and (match := PERCENT.match(value)):
        return Tolerance(float(match.group(1)) / 100, relative=True)
    if isinstance(value, str) and value.strip().startswith("-"):
        raise doc.error(path, f"a tolerance cannot be negative: {value!r}")
    try:
        amount = number(doc, path, value)
    except PolicyError:
        raise doc.error(
            path,
            "must be a non-negative number (absolute, in the metric's units) "
            f"or a percentage of the baseline mean such as '5%', not {_shown(value)}",
        ) from None
    if amount < 0:
        raise doc.error(path, f"a tolerance cannot be negative: {amount:g}")
    return Tolerance(amount)


def resamples(doc: YamlDocument, path: Path_, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 1_000_000:
        return value
    raise doc.error(path, f"must be a whole number from 100 to 1000000, not {_shown(value)}")


def pair_by(doc: YamlDocument, path: Path_, value: object) -> str:
    if value == PAIR_BY_EXAMPLE or (isinstance(value, str) and is_valid_field_path(value)):
        return value
    raise doc.error(
        path,
        f"must be `example` or a run field such as params.seed, tags.seed or id, "
        f"not {_shown(value)}",
    )


def aggregate(doc: YamlDocument, path: Path_, value: object) -> Aggregate:
    found = Aggregate.parse(value) if isinstance(value, str) else None
    if found is not None:
        return found
    raise doc.error(
        path,
        "must be one of last, min, max, mean, or mean_last_K (K a whole "
        f"number, such as mean_last_5), not {_shown(value)}",
    )


def field_list(doc: YamlDocument, path: Path_, value: object) -> tuple[str, ...]:
    """A run field path, or a list of them (``match: [params.dataset, tags.split]``)."""
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        if not isinstance(item, str) or not is_valid_field_path(item):
            raise doc.error(
                (*path, index) if isinstance(value, list) else path,
                f"must list run fields such as params.dataset, not {_shown(item)}",
            )
    return tuple(str(item) for item in items)


def run_field(doc: YamlDocument, path: Path_, value: object) -> str:
    """A run field that names a commit or a branch (``tags.commit``, ``params.sha``)."""
    if isinstance(value, str) and is_valid_field_path(value) and not value.startswith("metrics."):
        return value
    raise doc.error(
        path, f"must be a run field such as tags.commit or params.sha, not {_shown(value)}"
    )


def count(doc: YamlDocument, path: Path_, value: object, *, what: str = "runs") -> int:
    """A whole number from 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise doc.error(path, f"must be a whole number of {what}, 1 or more, not {_shown(value)}")
    return value


def page_size(doc: YamlDocument, path: Path_, value: object) -> int:
    """A whole number of runs per request, 1 to 50,000 (the most MLflow returns at once)."""
    most = 50_000
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise doc.error(path, f"must be a whole number of runs, 1 to {most}, not {_shown(value)}")
    return value


def text(doc: YamlDocument, path: Path_, value: object) -> str:
    """A non-empty string, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, f"must be a non-empty string, not {_shown(value)}")
    return value.strip()


def flag(doc: YamlDocument, path: Path_, value: object) -> bool:
    """``true`` or ``false`` (YAML's own booleans, not the strings)."""
    if not isinstance(value, bool):
        raise doc.error(path, f"must be true or false, not {_shown(value)}")
    return value


def text_or_empty(doc: YamlDocument, path: Path_, value: object) -> str:
    if not isinstance(value, str):
        raise doc.error(path, f"must be a string, not {_shown(value)}")
    return value.strip()


def texts(doc: YamlDocument, path: Path_, value: object) -> tuple[str, ...]:
    """A string or a non-empty list of strings."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise doc.error(path, f"must be a name or a non-empty list of names, not {_shown(value)}")
    return tuple(str(item).strip() for item in items)


def paths(doc: YamlDocument, path: Path_, value: object) -> tuple[Path, ...]:
    """A path or a list of them, relative to the policy's folder; ``${NAME}`` expanded."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise doc.error(path, f"must be a path or a non-empty list of paths, not {_shown(value)}")
    places = [(*path, index) for index in range(len(items))] if isinstance(value, list) else [path]
    pairs = zip(places, items, strict=True)
    return tuple(doc.folder / doc.expanded(place, str(item)) for place, item in pairs)


def where(doc: YamlDocument, path: Path_, value: object) -> Where:
    """Run fields and the values they must have: ``{tags.branch: main, params.seed: [1, 2]}``."""
    if not isinstance(value, dict) or not value:
        raise doc.error(
            path, "must be a mapping of run fields to values, such as `{tags.branch: main}`"
        )
    selectors = []
    for field, wanted in value.items():
        if not is_valid_field_path(field):
            raise doc.error(
                (*path, field),
                f"unknown run field {field!r}; use id, start_time, "
                "params.NAME, tags.NAME or metrics.NAME",
            )
        options = wanted if isinstance(wanted, list) else [wanted]
        if not options or any(isinstance(option, (dict, list)) for option in options):
            raise doc.error((*path, field), "must be a value or a list of values")
        selectors.append((field, tuple(display_value(option) for option in options)))
    return tuple(selectors)


def _shown(value: object) -> str:
    """``repr(value)``, cut short: a huge value must not make a huge message."""
    shown = repr(value)
    return shown if len(shown) <= 80 else f"{shown[:77]}..."
