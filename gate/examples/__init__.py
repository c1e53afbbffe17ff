"""Pairing by example key: per-example scores of evaluation logs, compared example by example.

Evaluation logs (lm-evaluation-harness, inspect_ai, promptfoo) name their examples,
so ``pair_by: example`` pairs the two sides by key, never by position:

- ``pairing.py`` matches the keys of both sides with numpy (one sort of all keys, then
  integer arithmetic), averages each example's scores over its repeats and runs (they
  are clusters, not independent observations) and finds what cannot be paired: keys on
  one side only, a (key, repeat) twice in one run, one key over different inputs;
- ``changes.py`` counts the examples that got worse and better and orders the changes;
- ``keyed.py`` turns that into the samples the core tests, stopping the gate when too
  many examples could not be paired (``max_unmatched``).

All of it is pure: runs and a metric's policy in, samples and evidence out.
"""
