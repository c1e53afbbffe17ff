"""The rules of docs/architecture.md that a test can check: a pure core, short modules,
small packages, one error tree."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from support.paths import ROOT

EDGES = ("gate.sources", "gate.publish", "gate.ci", "gate.report", "requests", "subprocess")
MAX_MODULE_LINES = 300
MAX_PACKAGE_MODULES = 13  # counting __init__ and __main__


def loaded_after_import(module: str) -> list[str]:
    """The edge modules that importing ``module`` loads, in a fresh interpreter."""
    code = (
        f"import sys, {module}; "
        f"print(' '.join(sorted(m for m in sys.modules if m.startswith({EDGES!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.split()


@pytest.mark.parametrize("module", ["gate.decide", "gate.policy", "gate.stats", "gate.history"])
def test_the_core_loads_no_edge(module: str) -> None:
    assert loaded_after_import(module) == []


def test_parsing_a_policy_with_every_source_kind_opens_nothing(tmp_path: object) -> None:
    # Parsing validates the sources but builds none: no git, no HTTP client, no reader.
    code = (
        "import sys\n"
        "from gate.policy.yamldoc import load_yaml\n"
        "from gate.policy import parse_policy\n"
        "text = '''candidate: {mlflow: {tracking_uri: http://127.0.0.1:9, experiment: e},\n"
        "  git: {commit: head}}\n"
        "baseline: {dvc: {path: m.json, rev: main, latest: 2}}\n"
        "metrics: {a: {direction: higher}}\n'''\n"
        "parse_policy(load_yaml(text, 'p.yml'))\n"
        f"print(' '.join(sorted(m for m in sys.modules if m.startswith({EDGES!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == []


def python_modules() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / "gate").rglob("*.py"))


@pytest.mark.parametrize("module", python_modules())
def test_modules_stay_short(module: str) -> None:
    lines = (ROOT / module).read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines; split it by what it does"


def test_packages_stay_small() -> None:
    for package in [ROOT / "gate", *(p for p in (ROOT / "gate").rglob("*") if p.is_dir())]:
        modules = list(package.glob("*.py"))
        assert len(modules) <= MAX_PACKAGE_MODULES, f"{package} has {len(modules)} modules"


def test_every_error_class_lives_in_errors_py() -> None:
    for module in python_modules():
        if module == "gate/errors.py":
            continue
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(base, "id", getattr(base, "attr", "")) for base in node.bases}
                assert not any(base.endswith(("Error", "Exception")) for base in bases), (
                    f"{module}: class {node.name} is an error; errors live in gate/errors.py"
                )


def test_no_two_modules_share_a_name() -> None:
    names = [
        path.stem
        for path in (ROOT / "gate").rglob("*.py")
        if path.stem not in ("__init__", "__main__")
    ]
    assert sorted({name for name in names if names.count(name) > 1}) == []
