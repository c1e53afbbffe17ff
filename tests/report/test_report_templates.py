from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

import gate
from gate.errors import OutputError
from gate.report import templates


def test_finds_the_checkout_templates() -> None:
    found = templates.templates_dir()
    assert (found / "report.md.j2").is_file()
    assert (found / "report.html.j2").is_file()


def test_prefers_the_installed_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(templates, "files", lambda package: tmp_path)
    assert templates.templates_dir() == tmp_path / "templates"


def test_missing_templates_are_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templates, "files", lambda package: tmp_path)
    monkeypatch.setattr(gate, "__file__", str(tmp_path / "gate" / "__init__.py"))
    with pytest.raises(OutputError, match="report templates are missing"):
        templates.templates_dir()


def test_environment_is_strict_and_escapes_only_html() -> None:
    env = templates.environment()
    assert env.undefined is jinja2.StrictUndefined
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"
    assert env.get_template("report.html.j2").render(title="<b>", body="").count("&lt;b&gt;") == 1
