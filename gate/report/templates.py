"""Finding the report templates and the one Jinja2 environment that renders them."""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path

import jinja2

import gate
from gate.errors import OutputError
from gate.report.escape import fmt_level, fmt_num, fmt_p, fmt_pct, md_escape
from gate.report.pictures.sparkline import recent_history
from gate.report.wording import VERDICT_EMOJI, direction_arrow, metric_emoji, verdict_label


def templates_dir() -> Path:
    """The installed ``gate/templates``, else the checkout's top-level ``templates/``."""
    installed = files("gate").joinpath("templates")
    checkout = Path(gate.__file__).resolve().parent.parent / "templates"
    for candidate in (installed, checkout):
        if isinstance(candidate, Path) and candidate.is_dir():
            return candidate
    raise OutputError(
        f"the report templates are missing (looked in {installed} and {checkout}); "
        "reinstall rungate"
    )


def _autoescape(template_name: str | None) -> bool:
    return template_name is not None and template_name.endswith(".html.j2")


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        extensions=["jinja2.ext.do"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=md_escape,
        num=fmt_num,
        pct=fmt_pct,
        p=fmt_p,
        level=fmt_level,
        emoji=VERDICT_EMOJI.__getitem__,
        metric_emoji=metric_emoji,
        verdict_label=verdict_label,
        arrow=direction_arrow,
        sparkline=recent_history,
    )
    return env


def render(template_name: str, **context: object) -> str:
    return environment().get_template(template_name).render(**context)
