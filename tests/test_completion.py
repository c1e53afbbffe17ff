"""Shell completion scripts, made from the command line's own parser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support.mlflow_servers import IN_CI

from gate.cli import main


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def bash_completes(text: str, words: list[str], folder: Path) -> list[str]:
    """What bash offers for the last of ``words``, with the script loaded."""
    (folder / "completion.bash").write_text(text, encoding="utf-8")
    quoted = " ".join(f"'{word}'" for word in words)
    program = (
        f"source {folder / 'completion.bash'}; COMP_WORDS=({quoted}); "
        f"COMP_CWORD={len(words) - 1}; _rungate; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", program],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(line for line in done.stdout.splitlines() if line)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_choices_and_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = script("bash", capsys)
    assert bash_completes(text, ["rungate", "ch"], tmp_path) == ["check"]
    assert bash_completes(text, ["rungate", "check", "--po"], tmp_path) == ["--policy"]
    assert bash_completes(text, ["rungate", "check", "--comment-mode", "re"], tmp_path) == [
        "recreate"
    ]
    (tmp_path / "rungate.yml").write_text("")
    assert bash_completes(text, ["rungate", "validate", "rung"], tmp_path) == ["rungate.yml"]
    # Every command of the parser is there: nothing is listed by hand.
    assert bash_completes(text, ["rungate", ""], tmp_path) == sorted(
        [
            "check",
            "comment",
            "validate",
            "init",
            "explain",
            "completion",
            "schema",
            "record",
            "history",
            "dashboard",
            "--help",
            "--version",
        ]
    )


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_parse(
    shell: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = script(shell, capsys)
    assert "rungate" in text and "--policy" in text.replace("-l policy", "--policy")
    if shutil.which(shell) is None:
        if IN_CI:
            pytest.fail(f"{shell} is not installed: .ci/run installs it")
        pytest.skip(f"{shell} is not installed to check the script's syntax")
    (tmp_path / "completion").write_text(text, encoding="utf-8")
    done = subprocess.run([shell, "-n", str(tmp_path / "completion")], capture_output=True)
    assert done.returncode == 0, done.stderr
