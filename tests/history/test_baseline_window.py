"""A baseline window and the shifts: spanned or not, and where `since_change` starts it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from support.recorded import sha

from gate.history import Shift, window_note, window_shifts


def shift_at(index: int, metric: str = "accuracy", *, worse: bool = True) -> Shift:
    return Shift(
        metric=metric,
        commit=sha(index),
        index=index,
        previous=sha(index - 1),
        before_mean=0.91,
        after_mean=0.89 if worse else 0.93,
        p=1e-5,
        before_commits=20,
        after_commits=10,
        worse=worse,
    )


WINDOW = [sha(i) for i in range(10, 15)]  # commits 10..14, oldest first


def test_a_shift_inside_the_window_is_spanned_and_the_window_starts_at_it() -> None:
    found = window_shifts(WINDOW, [shift_at(12)])
    assert found.spanned == (shift_at(12),)
    assert found.start == 2 and found.since_change == (sha(12), sha(13), sha(14))


def test_a_shift_at_the_first_commit_or_outside_is_not_spanned() -> None:
    for index in (5, 10, 15, 40):
        found = window_shifts(WINDOW, [shift_at(index)])
        assert found.spanned == () and found.start == 0
        assert found.since_change == tuple(WINDOW)


def test_a_shift_at_the_last_commit_leaves_only_that_commit() -> None:
    found = window_shifts(WINDOW, [shift_at(14)])
    assert found.since_change == (sha(14),)


def test_with_several_shifts_the_window_starts_after_the_latest() -> None:
    shifts = [shift_at(11), shift_at(13, "latency", worse=False), shift_at(30)]
    found = window_shifts(WINDOW, shifts)
    assert [shift.commit for shift in found.spanned] == [sha(11), sha(13)]
    assert found.start == 3


def test_only_the_metrics_asked_for_count() -> None:
    shifts = [shift_at(11), shift_at(13, "latency")]
    assert window_shifts(WINDOW, shifts, metrics={"accuracy"}).start == 1
    assert window_shifts(WINDOW, shifts, metrics={"loss"}).spanned == ()


def test_a_shift_at_a_commit_the_window_skips_counts_by_the_history_order() -> None:
    history = [sha(i) for i in range(20)]
    window = [sha(10), sha(12), sha(14), sha(16)]  # a selection left the odd ones out
    found = window_shifts(window, [shift_at(13)], history=history)
    assert found.spanned == (shift_at(13),) and found.since_change == (sha(14), sha(16))
    assert window_shifts(window, [shift_at(13)]).spanned == ()  # without the order: unknown


def test_an_empty_window_spans_nothing() -> None:
    assert window_shifts([], [shift_at(3)]).spanned == ()


def test_the_note_names_the_shift_and_what_since_change_does() -> None:
    found = window_shifts(WINDOW, [shift_at(12)])
    assert window_note(window_shifts(WINDOW, []), since_change=False) is None
    assert window_note(found, since_change=False) == (
        f"the baseline window of 5 commits spans a shift in main's history: accuracy at "
        f"{sha(12)[:7]}: 0.91 → 0.89 (worse, p < 0.001); `since_change: true` would start "
        "it there"
    )
    trimmed = window_note(found, since_change=True)
    assert trimmed is not None and trimmed.endswith(
        f"with since_change it starts at {sha(12)[:7]}, the first commit at the new level "
        "(3 of 5 commits kept)"
    )
    two = window_note(window_shifts(WINDOW, [shift_at(11), shift_at(13)]), since_change=False)
    assert two is not None and "spans 2 shifts" in two


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 30).flatmap(
        lambda first: st.tuples(st.just(first), st.integers(first, first + 20))
    ),
    st.lists(st.integers(0, 60), max_size=6),
)
def test_since_change_keeps_the_window_from_its_latest_inner_shift(
    bounds: tuple[int, int], places: list[int]
) -> None:
    first, last = bounds
    window = [sha(i) for i in range(first, last + 1)]
    found = window_shifts(window, [shift_at(place) for place in places])
    inside = [place for place in places if first < place <= last]
    assert sorted(shift.index for shift in found.spanned) == sorted(inside)
    assert found.since_change == tuple(sha(i) for i in range(max(inside, default=first), last + 1))
