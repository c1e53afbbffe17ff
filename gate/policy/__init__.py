"""The policy: which metrics gate, which way is better, how sure the gate must be, and
where each side's runs come from.

``parse_policy`` validates everything before any work is done, so a typo in the
policy is reported at once with its file, line and key, never halfway through a
run. The result is plain, frozen data: the run sources are specifications
(``gate.policy.sources``) that the command opens, so importing or parsing a
policy reads no runs and loads none of the sources' code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gate.errors import PolicyError
from gate.policy import values
from gate.policy.eval_specs import LmEvalSpec
from gate.policy.metrics import DEFAULT_ALPHA, METRIC, MetricPolicy, parse_metric
from gate.policy.recorded import StoreSpec, parse_store
from gate.policy.shift_settings import DEFAULT_SHIFTS, ShiftSettings, parse_shifts
from gate.policy.sources import SourceSpec, parse_source
from gate.policy.table import Table, key
from gate.policy.values import word
from gate.policy.yamldoc import Path_, YamlDocument, load_yaml
from gate.vocabulary import Correction

SUPPORTED_VERSIONS = (1,)
MAX_POLICY_BYTES = 1024 * 1024

__all__ = ["MetricPolicy", "Policy", "load_policy", "parse_policy"]


def _version(doc: YamlDocument, path: Path_, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value in SUPPORTED_VERSIONS:
        return value
    raise doc.error(
        path,
        f"unsupported policy version {value!r}; this rungate "
        f"reads version {', '.join(map(str, SUPPORTED_VERSIONS))}",
    )


@dataclass(frozen=True)
class Policy:
    metrics: tuple[MetricPolicy, ...]
    alpha: float = DEFAULT_ALPHA  # the top level's, the default of every metric
    source: str = "<policy>"  # the policy file, for messages
    version: int = key(_version, default=1)
    candidate: SourceSpec | None = key(parse_source, default=None)
    baseline: SourceSpec | None = key(parse_source, default=None)
    correction: Correction = key(word(Correction), default=Correction.HOLM)
    match: tuple[str, ...] = key(values.field_list, default=())
    history: StoreSpec | None = key(parse_store, default=None)  # where main's runs are recorded
    shifts: ShiftSettings = key(parse_shifts, default=DEFAULT_SHIFTS)

    @property
    def metric_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.metrics)


POLICY = Table(Policy, example="`metrics:` and `alpha:`")


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file; paths in it are relative to its folder."""
    try:
        if path.exists() and not path.is_file():  # a folder, or a FIFO that would block
            raise PolicyError("the policy must be a regular file", source=str(path))
        if path.exists() and path.stat().st_size > MAX_POLICY_BYTES:
            raise PolicyError("the policy is larger than 1 MiB", source=str(path))
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PolicyError("policy file not found", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy: {exc}", source=str(path)) from exc
    return parse_policy(load_yaml(text, str(path), folder=path.parent))


def parse_policy(doc: YamlDocument) -> Policy:
    top = doc.data
    if top is None:
        raise doc.error((), "the policy is empty; it needs at least a `metrics:` mapping")
    if not isinstance(top, dict):
        raise doc.error((), "the policy must be a mapping of keys such as `metrics:` and `alpha:`")
    # The top level holds the policy's own keys and every metric key, as a default.
    own = POLICY.read(doc, (), top, also=("metrics", *METRIC.names))
    defaults = METRIC.read(doc, (), {k: v for k, v in top.items() if k in METRIC.keys})
    metrics_node = top.get("metrics")
    if not isinstance(metrics_node, dict) or not metrics_node:
        raise doc.error(
            ("metrics",), "`metrics` must be a non-empty mapping of metric names to their settings"
        )
    metrics = tuple(
        parse_metric(doc, name, settings, defaults) for name, settings in metrics_node.items()
    )
    alpha = defaults.get("alpha", DEFAULT_ALPHA)
    policy = POLICY.build(doc, (), own, metrics=metrics, alpha=alpha, source=doc.source)
    _check_directions(doc, policy)
    return policy


def _check_directions(doc: YamlDocument, policy: Policy) -> None:
    """A metric needs a direction, unless an ``lm_eval:`` side's logs give one
    (``higher_is_better``): the core then takes it from the run set."""
    sides = (getattr(side, "inner", side) for side in (policy.candidate, policy.baseline))
    if any(isinstance(side, LmEvalSpec) for side in sides):
        return
    for spec in policy.metrics:
        if spec.direction is None:
            raise doc.error(("metrics", spec.name), "`direction` is required")
