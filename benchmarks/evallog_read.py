"""Time reading evaluation logs: lm-eval samples files, inspect .eval logs, promptfoo files.

Each log is made from a fixture the real tool wrote (tests/sources/data/evallogs/), its
examples copied with new ids up to the size asked for, then read with rungate's reader
(no subprocess: the read alone). Run from the repository root:

    python benchmarks/evallog_read.py [--tasks 10] [--examples 100000] [--repeat 3]

Prints the median wall time of each read, the examples per second, and the peak memory
Python allocated while reading (tracemalloc).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

from gate.sources.evallogs.inspect_log import read_inspect
from gate.sources.evallogs.inspect_zip import EvalZip
from gate.sources.evallogs.lm_eval import read_lm_eval
from gate.sources.evallogs.promptfoo import read_promptfoo

DATA = Path(__file__).resolve().parents[1] / "tests" / "sources" / "data" / "evallogs"


def lm_eval_logs(folder: Path, tasks: int, examples: int) -> Path:
    results = next((DATA / "lm_eval" / "base").glob("results_*.json"))
    date = results.name.removeprefix("results_").removesuffix(".json")
    document = json.loads(results.read_text())
    line = json.loads(
        next((DATA / "lm_eval" / "base").glob("samples_arith_mc_*")).read_text().splitlines()[0]
    )
    task = document["results"]["arith_mc"]
    document["results"] = {f"task{t}": {**task, "alias": f"task{t}"} for t in range(tasks)}
    document["higher_is_better"] = {f"task{t}": {"acc": True} for t in range(tasks)}
    (folder / results.name).write_text(json.dumps(document))
    for t in range(tasks):
        with (folder / f"samples_task{t}_{date}.jsonl").open("w") as out:
            for doc_id in range(examples):
                out.write(
                    json.dumps({**line, "doc_id": doc_id, "acc": float(doc_id % 7 != 0)}) + "\n"
                )
    return folder


def inspect_log(folder: Path, examples: int) -> Path:
    source = DATA / "inspect" / "base" / "arith.eval"
    with zipfile.ZipFile(source) as archive, source.open("rb") as stream:
        original = EvalZip(source, stream)
        header = original.read("header.json")
        summary = json.loads(original.read("summaries.json"))[0]
    summaries = [{**summary, "id": f"s{i}", "epoch": 1} for i in range(examples)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("header.json", header)
        archive.writestr("summaries.json", json.dumps(summaries))
    (folder / "big.eval").write_bytes(buffer.getvalue())
    return folder / "big.eval"


def promptfoo_file(folder: Path, examples: int) -> Path:
    document = json.loads((DATA / "promptfoo" / "base.json").read_text())
    entry = document["results"]["results"][0]
    document["results"]["results"] = [
        {**entry, "testIdx": i, "testCase": {**entry["testCase"], "description": f"t{i}"}}
        for i in range(examples)
    ]
    (folder / "big.json").write_text(json.dumps(document))
    return folder / "big.json"


def timed(read: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        read()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "lm").mkdir()
        lm = lm_eval_logs(folder / "lm", args.tasks, args.examples)
        inspect = inspect_log(folder, args.examples)
        promptfoo = promptfoo_file(folder, args.examples)
        cases: list[tuple[str, int, Callable[[], object]]] = [
            (
                f"lm-eval, {args.tasks} tasks",
                args.tasks * args.examples,
                lambda: read_lm_eval((lm,)),
            ),
            ("inspect .eval (summaries)", args.examples, lambda: read_inspect((inspect,))),
            ("promptfoo", args.examples, lambda: read_promptfoo((promptfoo,))),
        ]
        for name, count, read in cases:
            seconds, peak = timed(read, args.repeat)
            print(
                f"{name:28} {count:>9,} examples  {seconds:7.2f} s  "
                f"{count / seconds:>10,.0f} examples/s  peak {peak:,.0f} MiB"
            )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
