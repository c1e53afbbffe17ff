"""The dashboard: a static site of main's history, a small chart per metric.

``render_dashboard`` is a function of the recorded commits (as a history store returns
them), the policy's metrics and the detected shifts; ``write_dashboard`` writes its one
page, ready for GitHub Pages. Charts aggregate per pixel column (``column_bins``), so
200 metrics of 1,000 commits stay a page of a few megabytes that a browser draws in
about a second (``benchmarks/dashboard.py``). Each point links to its newest commit; the
only script is the inline filter by metric name, allowed by its hash and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from gate.errors import UsageError
from gate.model import CommitRuns
from gate.outputs import write_text
from gate.picture import metric_trend
from gate.policy import MetricPolicy
from gate.report.pictures.svg_canvas import attr, label, text
from gate.report.pictures.svg_trend import trend_svg
from gate.report.templates import render
from gate.report.wording import direction_arrow

CHART_SIZE = (300, 96)
CHART_PIXELS_PER_COLUMN = 3
COMMIT_PLACEHOLDER = "{commit}"
FILTER_SCRIPT = """\
const box = document.getElementById("filter");
const charts = Array.from(document.querySelectorAll("figure.chart"));
const shown = document.getElementById("shown");
function apply() {
  const wanted = box.value.trim().toLowerCase();
  let count = 0;
  for (const chart of charts) {
    chart.hidden = wanted !== "" && !chart.dataset.name.includes(wanted);
    if (!chart.hidden) count += 1;
  }
  shown.textContent = String(count);
}
box.addEventListener("input", apply);
apply();
"""


def commit_url_template(environ: Mapping[str, str]) -> str | None:
    """``https://github.com/OWNER/REPO/commit/{commit}`` from a GitHub Actions job's
    variables, or None outside one (the points then link nowhere)."""
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if not server or not repository:
        return None
    return f"{server.rstrip('/')}/{repository}/commit/{COMMIT_PLACEHOLDER}"


def render_dashboard(
    records: Sequence[CommitRuns],
    metrics: Sequence[MetricPolicy],
    *,
    shifts: Mapping[str, Sequence[str]] | None = None,
    commit_url: str | None = None,
    title: str = "rungate: main's history",
) -> str:
    """The page: a chart per metric of the policy, in the policy's order."""
    if commit_url is not None and COMMIT_PLACEHOLDER not in commit_url:
        raise UsageError(f"the commit URL template {commit_url!r} has no {COMMIT_PLACEHOLDER}")
    template = commit_url

    def link(commit: str) -> str:
        assert template is not None
        return template.replace(COMMIT_PLACEHOLDER, quote(commit, safe=""))

    detected = shifts or {}
    charts = []
    for spec in metrics:
        points = metric_trend(spec, records)
        marked = detected.get(spec.name, ())
        try:
            chart = trend_svg(
                spec.name,
                points,
                shifts=marked,
                size=CHART_SIZE,
                link=link if template is not None else None,
                pixels_per_column=CHART_PIXELS_PER_COLUMN,
            )
        except (ArithmeticError, ValueError):  # values no scale can span: no chart
            chart = ""
        latest = f" · last {label(points[-1].mean)}" if points else " · no values recorded"
        known = {point.commit for point in points}
        count = sum(1 for commit in marked if commit in known)
        noted = f" · {count} shift{'' if count == 1 else 's'}" if count else ""
        # A direction left to the evaluation logs is not known here: no arrow.
        arrow = direction_arrow(spec.direction) if spec.direction else ""
        charts.append(
            f'<figure class="chart" data-name="{attr(spec.name.lower())}">'
            f"<figcaption><strong>{text(spec.name)}</strong> {arrow}"
            f"{latest}{noted}</figcaption>{chart}</figure>"
        )
    commits = {record.commit for record in records}
    times = [record.recorded_at for record in records]
    return render(
        "dashboard.html.j2",
        title=title,
        script=FILTER_SCRIPT,
        script_hash=_csp_hash(FILTER_SCRIPT),
        charts="\n".join(charts),
        metric_count=len(charts),
        commit_count=len(commits),
        since=_date(min(times)) if times else None,
        until=_date(max(times)) if times else None,
    )


def write_dashboard(
    records: Sequence[CommitRuns],
    metrics: Sequence[MetricPolicy],
    out_dir: Path,
    *,
    shifts: Mapping[str, Sequence[str]] | None = None,
    commit_url: str | None = None,
    title: str = "rungate: main's history",
) -> Path:
    """Write the site into ``out_dir`` (made if missing): ``index.html``, and ``.nojekyll``
    so that GitHub Pages serves it as it is. Returns the page's path."""
    page = render_dashboard(records, metrics, shifts=shifts, commit_url=commit_url, title=title)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the dashboard's folder: {exc.strerror or exc}") from exc
    index = out_dir / "index.html"
    write_text(index, page)
    write_text(out_dir / ".nojekyll", "")
    return index


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")
