"""relais.textinput: what a CSV cell protected from spreadsheets gives back, and single-line text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from relais.textinput import FORMULA_TRIGGERS, control_character, csv_safe, from_csv_safe, one_line

TRICKY = st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " ", "\n"]), max_size=6)


@settings(max_examples=500, derandomize=True, database=None)
@given(st.one_of(TRICKY, st.text(max_size=20)))
def test_a_protected_csv_cell_gives_back_exactly_the_text_and_never_starts_a_formula(text):
    cell = csv_safe(text)
    assert from_csv_safe(cell) == text
    assert not cell.startswith(FORMULA_TRIGGERS)


@settings(max_examples=300, derandomize=True, database=None)
@given(st.text(max_size=40))
def test_one_line_never_holds_a_control_character(text):
    assert control_character(one_line(text)) is None
