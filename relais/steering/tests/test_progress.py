import pytest

from relais.steering import progress as pg


def test_indicator_ratio_is_the_share_of_the_way_from_initial_to_target():
    assert pg.indicator_ratio(10, 15, 20) == 0.5


def test_indicator_ratio_works_for_a_decreasing_target():
    assert pg.indicator_ratio(100, 80, 60) == 0.5


def test_indicator_ratio_is_clamped_between_zero_and_one():
    assert pg.indicator_ratio(10, 30, 20) == 1.0
    assert pg.indicator_ratio(10, 5, 20) == 0.0


@pytest.mark.parametrize("values", [(None, 1, 2), (1, None, 2), (1, 2, None), (5, 7, 5)])
def test_indicator_ratio_is_unknown_without_three_values_or_with_target_equal_to_initial(values):
    assert pg.indicator_ratio(*values) is None


def test_progress_from_steps_is_the_share_done_and_unknown_without_steps():
    assert pg.action_progress(pg.ActionFacts("steps", steps_done=1, steps_total=4)) == 0.25
    assert pg.action_progress(pg.ActionFacts("steps")) is None


def test_progress_from_indicators_averages_the_known_ratios_only():
    facts = pg.ActionFacts("indicators", indicator_ratios=(0.2, None, 0.6))
    assert pg.action_progress(facts) == pytest.approx(0.4)


def test_progress_set_by_hand_is_a_percentage_and_ignores_the_steps():
    facts = pg.ActionFacts("manual", steps_done=0, steps_total=3, manual_percent=70)
    assert pg.action_progress(facts) == 0.7


def test_rollup_average_counts_each_known_item_once():
    items = [pg.Weighted(0.0, 1), pg.Weighted(1.0, 3), pg.Weighted(None, 5)]
    assert pg.rollup(items, weighted=False).progress == 0.5


def test_rollup_weighted_uses_the_weights_and_carries_the_total_weight_up():
    items = [pg.Weighted(0.0, 1), pg.Weighted(1.0, 3), pg.Weighted(None, 5)]
    rolled = pg.rollup(items, weighted=True)
    assert rolled.progress == 0.75
    assert rolled.weight == 9


def test_rollup_of_nothing_known_is_unknown():
    assert pg.rollup([pg.Weighted(None)], weighted=False).progress is None
    assert pg.rollup([], weighted=True).progress is None


def test_percent_rounds_and_keeps_unknown():
    assert pg.percent(0.666) == 67
    assert pg.percent(None) is None
