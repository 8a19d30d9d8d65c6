"""Statistical secrecy: small platform counts never published, and never derivable from a total."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from relais.observatory import secrecy

T = 11


def derivable_by_enumeration(cells: dict, hidden: set, threshold: int) -> set:
    """Brute force: every assignment of the hidden cells consistent with what is published (the total, the
    published cells, and the rule: a cell of 1..threshold-1 is always hidden); the cells with one value only."""
    if not hidden:
        return set()
    keys = sorted(hidden, key=str)
    total = sum(cells[k] for k in keys)
    possible = {k: set() for k in keys}
    for combo in itertools.product(range(total + 1), repeat=len(keys)):
        if sum(combo) != total:
            continue
        for key, value in zip(keys, combo, strict=True):
            possible[key].add(value)
    return {k for k, values in possible.items() if len(values) == 1}


def test_a_count_between_one_and_the_threshold_is_hidden_and_zero_is_published():
    assert secrecy.published(0, T) == 0
    assert secrecy.published(1, T) is None
    assert secrecy.published(10, T) is None
    assert secrecy.published(11, T) == 11
    assert secrecy.published(None, T) is None


def test_one_small_cell_in_a_line_hides_a_second_one_so_the_total_does_not_reveal_it():
    cells = {"a": 3, "b": 40, "c": 55}
    hidden = secrecy.suppress_line(cells, T)
    assert hidden == {"a", "b"}


def test_two_small_cells_at_the_threshold_minus_one_are_not_enough_alone():
    # 10 + 10 = 20 hidden: a reader knowing both are at most 10 would derive both.
    cells = {"a": 10, "b": 10, "c": 30, "d": 50}
    hidden = secrecy.suppress_line(cells, T)
    assert {"a", "b", "c"} <= hidden
    assert not secrecy.derivable(cells, hidden, {"a", "b"}, T)


def test_a_line_whose_hidden_cells_the_total_still_gives_away_hides_its_total_too():
    # found by hypothesis: 10 + 10 = 20 with both cells at most 10 means both are 10
    shown, total = secrecy.publish_line({"a": 10, "b": 10}, T)
    assert total is None and shown == {"a": None, "b": None}


def test_a_line_whose_total_is_small_is_hidden_whole():
    shown, total = secrecy.publish_line({"a": 2, "b": 3}, T)
    assert total is None and shown == {"a": None, "b": None}


def test_statuses_combine_secret_before_not_available():
    assert secrecy.combine_status(["value", "secret", "na"]) == "secret"
    assert secrecy.combine_status(["value", "na"]) == "na"
    assert secrecy.combine_status(["value", "value"]) == "value"
    assert secrecy.combine_status([]) == "na"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6))
def test_no_hidden_cell_of_a_line_can_be_derived_from_the_total_and_the_published_cells(counts):
    cells = dict(enumerate(counts))
    shown, total = secrecy.publish_line(cells, T)
    hidden = {k for k, v in shown.items() if v is None}
    assert all(shown[k] is None for k, v in cells.items() if 0 < v < T), "a small cell was published"
    if total is None:
        return
    if len(hidden) == 1:
        raise AssertionError(f"one hidden cell alone is the total minus the others: {cells}")
    if len(hidden) <= 3 and sum(cells[k] for k in hidden) <= 60:
        exposed = {k for k in derivable_by_enumeration(cells, hidden, T) if cells[k] > 0}
        assert not exposed, f"{cells}: {exposed} derivable"
    assert not secrecy.derivable(cells, hidden, {k for k in hidden if 0 < cells[k] < T}, T)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 3)), st.integers(0, 30), min_size=1, max_size=12))
def test_in_a_table_with_row_and_column_totals_no_row_or_column_reveals_a_hidden_cell(cells):
    hidden = secrecy.suppress_table(cells, T)
    primary = {k for k, v in cells.items() if 0 < v < T}
    assert primary <= hidden
    for axis in (0, 1):
        for line_key in {k[axis] for k in cells}:
            line = {k: v for k, v in cells.items() if k[axis] == line_key}
            line_hidden = hidden & set(line)
            if not line_hidden or line_hidden == set(line):
                continue
            assert len(line_hidden) != 1 or cells[next(iter(line_hidden))] == 0 and not (primary & line_hidden)
            assert not secrecy.derivable(line, line_hidden, primary & set(line), T)
