"""The report templates ship inside the wheel and are found from both kinds of install."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import gate
from gate.report.templates import templates_dir

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    str(path.relative_to(ROOT / "templates"))
    for path in (ROOT / "templates").rglob("*")
    if path.is_file()
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("rungate-*.whl")
    return built


def test_wheel_carries_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert TEMPLATES and all(f"gate/templates/{name}" in names for name in TEMPLATES)
    assert not any(name.startswith("templates/") for name in names)


def test_wheel_in_a_fresh_venv_renders_every_report(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies come from this environment; rungate itself must come from the wheel.
    # PYTHONPATH does not process .pth files, so an editable install here stays invisible.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import gate; print(gate.__file__)"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(venv))
    done = subprocess.run(
        [
            str(venv / "bin" / "rungate"),
            "check",
            "--policy",
            str(ROOT / "examples/policy.yml"),
            "--candidate",
            str(ROOT / "examples/runs/regressed"),
            "--markdown",
            "r.md",
            "--html",
            "r.html",
            "--json",
            "r.json",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert (work / "r.md").read_text(encoding="utf-8").startswith("## rungate")
    assert "<table>" in (work / "r.html").read_text(encoding="utf-8")


def test_editable_install_finds_the_checkouts_templates() -> None:
    if not Path(gate.__file__).resolve().is_relative_to(ROOT):
        pytest.skip("rungate is not installed from this checkout")
    assert templates_dir().resolve() == ROOT / "templates"
