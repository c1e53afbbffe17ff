"""Malformed evaluation logs stop ``rungate check`` with one line naming the file and the place.

Each case starts from a log the real tool wrote (``data/evallogs/``) and breaks
one thing in it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import SOURCE_DATA

from gate.cli import main

DATA = SOURCE_DATA / "evallogs"


def _json_edit(edit: Callable[[dict[str, object]], None]) -> Callable[[Path], None]:
    def apply(file: Path) -> None:
        document = json.loads(file.read_text())
        edit(document)
        file.write_text(json.dumps(document))

    return apply


def _lines_edit(edit: Callable[[list[str]], list[str]]) -> Callable[[Path], None]:
    def apply(file: Path) -> None:
        file.write_text("\n".join(edit(file.read_text().splitlines())) + "\n")

    return apply


def _set(path: tuple[object, ...], value: object) -> Callable[[dict[str, object]], None]:
    def edit(document: dict[str, object]) -> None:
        node: object = document
        for step in path[:-1]:
            node = node[step]  # type: ignore[index]
        node[path[-1]] = value  # type: ignore[index]

    return edit


def _del(path: tuple[object, ...]) -> Callable[[dict[str, object]], None]:
    def edit(document: dict[str, object]) -> None:
        node: object = document
        for step in path[:-1]:
            node = node[step]  # type: ignore[index]
        del node[path[-1]]  # type: ignore[attr-defined]

    return edit


def _no_doc_id(lines: list[str]) -> list[str]:
    record = json.loads(lines[1])
    del record["doc_id"]
    return [lines[0], json.dumps(record), *lines[2:]]


def _truncate(file: Path) -> None:
    file.write_bytes(file.read_bytes()[:-200])


def _damage_member(file: Path) -> None:
    data = bytearray(file.read_bytes())
    at = data.index(b"summaries.json") + 100  # inside that member's compressed bytes
    data[at : at + 40] = bytes(40)
    file.write_bytes(bytes(data))


def _declare_size(size: int) -> Callable[[Path], None]:
    """The archive's directory says ``summaries.json`` expands to ``size`` bytes."""

    def apply(file: Path) -> None:
        data = bytearray(file.read_bytes())
        name = b"summaries.json"
        at = next(
            i
            for i in range(len(data))
            if data.startswith(name, i) and data[i - 46 : i - 42] == b"PK\x01\x02"
        )
        data[at - 46 + 24 : at - 46 + 28] = size.to_bytes(4, "little")  # uncompressed size
        file.write_bytes(bytes(data))

    return apply


# kind, the file to break (under the copied side), how, what the message says
CASES: list[tuple[str, str, Callable[[Path], object], str]] = [
    (
        "lm_eval",
        "results_*.json",
        lambda f: f.write_text('{"results": '),
        r"results_.*\.json: not valid JSON",
    ),
    (
        "lm_eval",
        "results_*.json",
        _json_edit(_del(("results",))),
        r"results_.*\.json: results: `results` is missing",
    ),
    (
        "lm_eval",
        "results_*.json",
        _json_edit(_set(("results", "arith_mc", "acc,none"), "high")),
        r"results\.arith_mc\.acc,none: not a number: 'high'",
    ),
    (
        "lm_eval",
        "results_*.json",
        _json_edit(_set(("results", "arith_mc"), [1])),
        r"results\.arith_mc: must be an object, not a list",
    ),
    (
        "lm_eval",
        "samples_arith_mc_*.jsonl",
        _lines_edit(_no_doc_id),
        r"samples_arith_mc_.*\.jsonl: line 2: `doc_id` must be a number or a string, not None",
    ),
    (
        "lm_eval",
        "samples_arith_mc_*.jsonl",
        _lines_edit(lambda lines: [lines[0], "{oops", *lines[2:]]),
        r"samples_arith_mc_.*\.jsonl: line 2: not valid JSON",
    ),
    (
        "lm_eval",
        "samples_arith_mc_*.jsonl",
        lambda f: f.write_text(""),
        r"samples_arith_mc_.*\.jsonl: the samples file is empty",
    ),
    (
        "lm_eval",
        "samples_arith_gen_*.jsonl",
        _lines_edit(
            lambda lines: [
                lines[0].replace('"exact_match": 1.0', '"exact_match": "yes"'),
                *lines[1:],
            ]
        ),
        r"line 1, exact_match: not a number: 'yes'",
    ),
    ("inspect", "arith.eval", _truncate, r"arith\.eval: not a readable \.eval \(ZIP\) file"),
    (
        "inspect",
        "arith.eval",
        _damage_member,
        r"arith\.eval: summaries\.json: a damaged member",
    ),
    (
        "inspect",
        "arith.eval",
        lambda f: f.write_bytes(b"PK\x05\x06" + bytes(18)),
        r"arith\.eval: the log has no header\.json",
    ),
    (
        "inspect_json",
        "arith.json",
        _json_edit(_set(("version",), 9)),
        r"arith\.json: version: an inspect_ai log of version 9; this rungate reads version 2",
    ),
    (
        "inspect_json",
        "arith.json",
        _json_edit(_set(("status",), "error")),
        r"arith\.json: status: the evaluation did not finish \(status 'error'\)",
    ),
    (
        "inspect_json",
        "arith.json",
        _json_edit(_set(("samples", 2, "scores", "match"), "C")),
        r"arith\.json: samples\[2\]\.scores\.match: a score must be an object with a `value`",
    ),
    (
        "inspect_json",
        "arith.json",
        _json_edit(_set(("samples", 1, "scores", "match", "value"), "maybe")),
        r"samples\[1\]\.scores\.match\.value: not a score inspect maps to a number: 'maybe'",
    ),
    (
        "inspect_json",
        "arith.json",
        _json_edit(_del(("samples", 0, "id"))),
        r"samples\[0\]\.id: `id` must be a number or a string, not None",
    ),
    (
        "promptfoo",
        "pr.json",
        _json_edit(_set(("results", "version"), 2)),
        r"pr\.json: results\.version: a promptfoo output of version 2; this rungate reads "
        "version 3",
    ),
    (
        "promptfoo",
        "pr.json",
        _json_edit(_set(("results", "results"), [])),
        r"pr\.json: results\.results: no test results",
    ),
    (
        "promptfoo",
        "pr.json",
        _json_edit(_set(("results", "results", 3, "success"), "yes")),
        r"results\.results\[3\]\.success: `success` must be true or false, not 'yes'",
    ),
    (
        "promptfoo",
        "pr.json",
        _json_edit(_set(("results", "results", 0, "namedScores", "exact"), None)),
        r"results\.results\[0\]\.namedScores\.exact: not a number: None",
    ),
    (
        "promptfoo",
        "pr.json",
        lambda f: f.write_text("[]"),
        r"pr\.json: must be a JSON object, not a list",
    ),
    (
        "promptfoo",
        "pr.json",
        lambda f: f.write_text("[" * 200_000),  # nested past Python's recursion limit
        r"pr\.json: not valid JSON: maximum recursion depth",
    ),
    # A log that expands past what its directory declares (a "zip bomb"), or declares
    # more than rungate reads, is refused, never decompressed whole.
    (
        "inspect",
        "*.eval",
        _declare_size(100),
        r"arith\.eval: summaries\.json: a damaged member: .*more than its declared size",
    ),
    (
        "inspect",
        "*.eval",
        _declare_size(2**30 + 1),
        r"arith\.eval: summaries\.json: a member of 1,073,741,825 bytes .* more than rungate reads",
    ),
    (
        "inspect",
        "*.eval",
        _declare_size(2**24 + 1),  # 16 MiB from a few KB: far more than JSON compresses
        r"summaries\.json: a member of 16,777,217 bytes \([0-9,]+ times its compressed size\)",
    ),
]


def _side(kind: str, folder: Path) -> Path:
    """A copy of the candidate's logs of ``kind`` in ``folder``; the policy's entry for them."""
    if kind == "lm_eval":
        shutil.copytree(DATA / "lm_eval" / "pr", folder / "pr")
    elif kind == "inspect":
        shutil.copytree(DATA / "inspect" / "pr", folder / "pr")
    elif kind == "inspect_json":
        shutil.copytree(DATA / "inspect" / "json", folder / "pr")
    else:
        (folder / "pr").mkdir()
        shutil.copy(DATA / "promptfoo" / "pr.json", folder / "pr")
    return folder / "pr"


@pytest.mark.parametrize(
    ("kind", "pattern", "breaks", "message"), CASES, ids=[c[3][:40] for c in CASES]
)
def test_a_malformed_log_is_one_line_naming_the_file_and_place(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    pattern: str,
    breaks: Callable[[Path], object],
    message: str,
) -> None:
    side = _side(kind, tmp_path)
    breaks(next(side.glob(pattern)))
    source = "inspect" if kind == "inspect_json" else kind
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate: {{{source}: pr}}\nbaseline: {{{source}: pr}}\n"
        "metrics: {m: {direction: higher}}\n"
    )
    assert main(["check", "--policy", str(policy)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1, error
    assert error.startswith("rungate: error: "), error
    assert str(side) in error
    assert re.search(message, error), error
