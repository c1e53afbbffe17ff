#!/usr/bin/env bash
# Writes the evaluation logs that tests/sources/evallogs/ and examples/evals/ read, with the
# real tools, offline (no model, no network once the tools are installed):
#   inspect_ai 0.3.285          `inspect eval` with mockllm/model and a solver that answers
#                                from a key, on a local dataset of 30 sums, 2 epochs
#   lm-evaluation-harness 0.4.13 (torch 2.13.0 CPU) simple_evaluate + EvaluationTracker with
#                                a keyed model on two local JSON tasks (multiple choice, and
#                                generation with a strict-match filter), --log_samples
#   promptfoo 0.120.27 (Node 20) `promptfoo eval -o` with a local script provider
# Each tool writes a baseline and a candidate that gets some examples wrong that the baseline
# got right (and one right that it got wrong). Usage:
#   bash tests/sources/data/evallogs/regenerate.sh [TOOLS_DIR]
# TOOLS_DIR keeps the tools' virtual environments and node_modules between runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
tools="${1:-$(mktemp -d)}"
work="$(mktemp -d)"
mkdir -p "$tools"
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_CONFIG_DIR="$work/.promptfoo"
# promptfoo 0.120.27 sometimes crashes as it exits while its debug log file drains.
export PROMPTFOO_DISABLE_DEBUG_LOG=1 PROMPTFOO_DISABLE_ERROR_LOG=1
export HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 INSPECT_LOG_DIR="$work/inspect-logs"

if [ ! -x "$tools/inspect-venv/bin/inspect" ]; then
  python3 -m venv "$tools/inspect-venv"
  "$tools/inspect-venv/bin/pip" install -q inspect_ai==0.3.285
fi
if [ ! -x "$tools/lm-venv/bin/lm_eval" ]; then
  python3 -m venv "$tools/lm-venv"
  "$tools/lm-venv/bin/pip" install -q torch==2.13.0 lm_eval==0.4.13
fi
if [ ! -x "$tools/pf/node_modules/.bin/promptfoo" ]; then
  mkdir -p "$tools/pf"
  # better-sqlite3 builds from source: its prebuilt download is unreachable offline.
  (cd "$tools/pf" && npm init -y >/dev/null && npm_config_nodedir=/usr npm install -s promptfoo@0.120.27)
fi

# The questions: 30 sums (or more, for examples/evals), the same for every tool.
sums() {
  python3 - "$1" <<'PY'
import json, sys
for i in range(1, int(sys.argv[1]) + 1):
    a, b = i * 7 % 23, i * 5 % 17 + i // 23
    s = a + b
    print(json.dumps({"qid": f"q{i:02d}", "question": f"What is {a} + {b}?", "a": a, "b": b,
                      "choices": [str(s - 1), str(s), str(s + 1), str(s + 2)], "label": 1,
                      "answer": str(s)}))
PY
}

# ---- inspect_ai ----------------------------------------------------------------------------
cat > "$work/arith.py" <<'PY'
import json, os
from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput
from inspect_ai.scorer import CORRECT, INCORRECT, Score, Target, match, mean, scorer
from inspect_ai.solver import Generate, TaskState, solver

# ARITH_WRONG: sample ids answered wrong in every epoch, or ID@EPOCH in one epoch only.
WRONG = set(os.environ.get("ARITH_WRONG", "").split(",")) - {""}

@solver
def answer_key():
    async def solve(state: TaskState, generate: Generate) -> TaskState:
        right = state.target.text
        wrong = str(state.sample_id) in WRONG or f"{state.sample_id}@{state.epoch}" in WRONG
        state.output = ModelOutput.from_content("mockllm/model", str(int(right) + 1) if wrong else right)
        state.messages.append(state.output.message)
        return state
    return solve

@scorer(metrics={"exact": [mean()], "length": [mean()]})
def shape():
    async def score(state: TaskState, target: Target) -> Score:
        text = state.output.completion
        exact = CORRECT if text == target.text else INCORRECT
        return Score(value={"exact": exact, "length": float(len(text))})
    return score

@task
def arith():
    rows = [json.loads(line) for line in open(os.environ["ARITH_DATA"])]
    samples = [Sample(id=r["qid"], input=r["question"], target=r["answer"]) for r in rows]
    return Task(dataset=samples, solver=answer_key(), scorer=[match(), shape()])
PY
sums 30 > "$work/sums.jsonl"
inspect_run() {  # FORMAT EPOCHS LIMIT WRONG DEST
  rm -rf "$work/inspect-out"
  (cd "$work" && ARITH_DATA="$work/sums.jsonl" ARITH_WRONG="$4" "$tools/inspect-venv/bin/inspect" eval arith.py \
    --model mockllm/model --log-format "$1" --epochs "$2" --limit "$3" --log-dir "$work/inspect-out" --display none)
  mkdir -p "$(dirname "$5")"
  cp "$work"/inspect-out/*."$1" "$5"
}
rm -rf "$here/inspect"
inspect_run eval 2 30 "q03,q17" "$here/inspect/base/arith.eval"
inspect_run eval 2 30 "q03,q08,q21,q26,q11@2" "$here/inspect/pr/arith.eval"
inspect_run json 1 8 "q03" "$here/inspect/json/arith.json"

# ---- lm-evaluation-harness -----------------------------------------------------------------
mkdir -p "$work/lm/tasks"
cat > "$work/lm/tasks/arith_mc.yaml" <<'YAML'
task: arith_mc
dataset_path: json
dataset_kwargs:
  data_files:
    test: tasks/sums.jsonl
test_split: test
output_type: multiple_choice
doc_to_text: "{{question}}\nAnswer:"
doc_to_choice: "{{choices}}"
doc_to_target: label
metric_list:
  - metric: acc
    aggregation: mean
    higher_is_better: true
metadata:
  version: 1.0
YAML
cat > "$work/lm/tasks/arith_gen.yaml" <<'YAML'
task: arith_gen
dataset_path: json
dataset_kwargs:
  data_files:
    test: tasks/sums.jsonl
test_split: test
output_type: generate_until
doc_to_text: "{{question}}\nAnswer:"
doc_to_target: answer
generation_kwargs:
  until: ["\n"]
  do_sample: false
metric_list:
  - metric: exact_match
    aggregation: mean
    higher_is_better: true
filter_list:
  - name: strict-match
    filter:
      - function: regex
        regex_pattern: "(\\d+)"
      - function: take_first
  - name: none
    filter:
      - function: take_first
metadata:
  version: 1.0
YAML
cat > "$work/lm/run_lm.py" <<'PY'
"""lm-eval with a model that answers from a key: LM_WRONG lists the questions it gets wrong."""
import os, sys
from lm_eval import simple_evaluate
from lm_eval.api.model import LM
from lm_eval.loggers import EvaluationTracker
from lm_eval.tasks import TaskManager

WRONG = set(os.environ.get("LM_WRONG", "").split(",")) - {""}

class KeyedLM(LM):
    def loglikelihood(self, requests, disable_tqdm=False):
        out = []
        for r in requests:
            right = r.doc["label"] if r.doc["qid"] not in WRONG else (r.doc["label"] + 1) % 4
            out.append((0.0 if r.idx == right else -1.0 - r.idx, r.idx == right))
        return out
    def loglikelihood_rolling(self, requests, disable_tqdm=False):
        return [0.0 for _ in requests]
    def generate_until(self, requests, disable_tqdm=False):
        answer = lambda doc: doc["answer"] if doc["qid"] not in WRONG else str(int(doc["answer"]) + 1)
        return [f" {answer(r.doc)} is the answer" for r in requests]

tasks = sys.argv[2].split(",")
tracker = EvaluationTracker(output_path=sys.argv[1])
results = simple_evaluate(model=KeyedLM(), tasks=tasks, task_manager=TaskManager(include_path="tasks"),
                          log_samples=True, evaluation_tracker=tracker, random_seed=0,
                          numpy_random_seed=0, torch_random_seed=0, fewshot_random_seed=0)
samples = results.pop("samples")
tracker.save_results_aggregated(results=results, samples=samples)
for name in results["configs"]:
    tracker.save_results_samples(task_name=name, samples=samples[name])
PY
lm_run() {  # COUNT TASKS WRONG DEST
  sums "$1" > "$work/lm/tasks/sums.jsonl"
  rm -rf "$work/lm/out"
  (cd "$work/lm" && LM_WRONG="$3" "$tools/lm-venv/bin/python" run_lm.py out "$2" >/dev/null 2>&1)
  rm -rf "$4" && mkdir -p "$4"
  cp "$work"/lm/out/*/results_*.json "$work"/lm/out/*/samples_*.jsonl "$4"
}
lm_run 30 arith_mc,arith_gen "q03,q17" "$here/lm_eval/base"
lm_run 30 arith_mc,arith_gen "q03,q08,q21,q26" "$here/lm_eval/pr"

# ---- promptfoo -----------------------------------------------------------------------------
mkdir -p "$work/pf"
cat > "$work/pf/provider.js" <<'JS'
// Answers from a key: PF_WRONG lists the questions it gets wrong.
const wrong = new Set((process.env.PF_WRONG || '').split(',').filter(Boolean));
class KeyProvider {
  constructor(options) { this.providerId = (options && options.id) || 'key'; }
  id() { return this.providerId; }
  async callApi(prompt, context) {
    const v = context.vars;
    const right = Number(v.a) + Number(v.b);
    return { output: String(wrong.has(String(v.qid)) ? right + 1 : right) };
  }
}
module.exports = KeyProvider;
JS
python3 - "$work/pf/promptfooconfig.yaml" <<'PY'
import json, sys
tests = []
for i in range(1, 13):
    a, b = i * 7 % 23, i * 5 % 17
    tests.append({"description": f"q{i:02d}", "vars": {"qid": f"q{i:02d}", "a": a, "b": b},
                  "assert": [{"type": "equals", "value": str(a + b), "metric": "exact"},
                             {"type": "javascript", "value": "output.length <= 1 ? 1 : 0.5",
                              "metric": "brevity"}]})
config = {"description": "arithmetic",
          "prompts": [{"id": "plain", "label": "plain", "raw": "What is {{a}} + {{b}}?"},
                      {"id": "terse", "label": "terse", "raw": "{{a}}+{{b}}="}],
          "providers": [{"id": "file://provider.js", "label": "key"}], "tests": tests}
open(sys.argv[1], "w").write(json.dumps(config, indent=1))
PY
# promptfoo exits 100 when some tests fail. A run that crashed anyway (see
# PROMPTFOO_DISABLE_DEBUG_LOG above) is run again.
pf_run() {  # REPEAT WRONG DEST
  local status
  for _ in 1 2 3 4 5 6; do
    rm -f "$work/pf/out.json"
    status=0
    (cd "$work/pf" && PF_WRONG="$2" "$tools/pf/node_modules/.bin/promptfoo" eval \
      -c promptfooconfig.yaml -o out.json --no-cache --no-table --no-progress-bar -j 1 \
      --repeat "$1" >/dev/null 2>"$work/pf.log") || status=$?
    if [ "$status" -eq 0 ] || [ "$status" -eq 100 ]; then
      mkdir -p "$(dirname "$3")"
      cp "$work/pf/out.json" "$3"
      return
    fi
  done
  cat "$work/pf.log" >&2
  return 1
}
rm -rf "$here/promptfoo"
pf_run 2 "q03,q09" "$here/promptfoo/base.json"
pf_run 2 "q03,q05,q08,q12" "$here/promptfoo/pr.json"

# ---- examples/evals: one larger lm-eval task, 400 questions ---------------------------------
base_wrong=$(python3 -c "print(','.join(f'q{i:02d}' for i in range(1, 401) if i % 10 == 3))")
pr_wrong=$(python3 -c "print(','.join(f'q{i:02d}' for i in range(1, 401) if i % 10 == 3 and i not in (13, 53) or i % 25 == 7))")
lm_run 400 arith_mc "$base_wrong" "$root/examples/evals/logs/main"
lm_run 400 arith_mc "$pr_wrong" "$root/examples/evals/logs/pr"

rm -rf "$work"
echo "written: $here/{inspect,lm_eval,promptfoo}, $root/examples/evals/logs"
