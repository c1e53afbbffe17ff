from __future__ import annotations

import numpy as np

from gate.examples.pairing import key_codes, pair_examples
from gate.model import ExampleScores


def test_keys_that_share_a_hash_are_never_paired() -> None:
    keys = ["b", "a", "b", "c", "a"]
    for hasher in (hash, lambda key: 0):  # every key colliding: the strings decide
        codes, first = key_codes(keys, hasher)
        assert [keys[i] for i in first[codes]] == keys
        assert len(set(codes.tolist())) == 3


def test_repeats_of_an_example_are_averaged_and_duplicates_caught() -> None:
    candidate = ExampleScores(
        keys=("a", "a", "b", "b", "c"), scores=(1.0, 0.0, 1.0, 1.0, 1.0), repeats=(0, 1, 0, 0, 0)
    )
    baseline = ExampleScores(keys=("c", "b", "a"), scores=(0.0, 1.0, 1.0))
    pairing = pair_examples([candidate], [baseline])
    assert pairing.keys(pairing.in_log_order(np.flatnonzero(pairing.paired))) == ["a", "c"]
    assert pairing.unmatched(pairing.duplicated).first == ("b",)  # repeat 0 twice in one run
    assert pairing.candidate.repeats == 2 and pairing.baseline.repeats == 1
    (a,) = [code for code in range(pairing.total) if pairing.keys(np.array([code])) == ["a"]]
    assert pairing.candidate.mean[a] == 0.5 and pairing.baseline.mean[a] == 1.0


def test_huge_repeat_numbers_do_not_overflow_into_false_duplicates() -> None:
    many = 2**62
    candidate = ExampleScores(keys=("a", "a", "b"), scores=(1.0, 0.0, 1.0), repeats=(0, many, many))
    baseline = ExampleScores(keys=("a", "b"), scores=(1.0, 1.0))
    pairing = pair_examples([candidate], [baseline])
    assert not pairing.duplicated.any() and int(np.count_nonzero(pairing.paired)) == 2


def test_a_duplicated_key_is_not_a_repeat() -> None:
    # "b" twice at repeat 0 is a duplicate; no example has a second repeat.
    candidate = ExampleScores(keys=("a", "b", "b", "c"), scores=(1.0, 1.0, 0.0, 1.0))
    baseline = ExampleScores(keys=("a", "b", "c"), scores=(1.0, 1.0, 1.0))
    pairing = pair_examples([candidate], [baseline])
    assert pairing.unmatched(pairing.duplicated).first == ("b",)
    assert pairing.candidate.repeats == 1
