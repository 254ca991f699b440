"""The chart's value texts never meet the dashed target line, wherever the figure falls."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from followup.charts import CLEARANCE, LABEL_WIDTH, Chart
from promises.models import Indicator


def chart(*values, target=200, baseline=None):
    indicator = Indicator(
        name="Trafikkontroller",
        kind=Indicator.Kind.COUNT,
        unit="st",
        rule=Indicator.Rule.AT_LEAST,
        target_value=Decimal(target),
        baseline_value=baseline,
        baseline_year=2020 if baseline is not None else None,
    )
    years = [
        (2021 + index, None if value is None else SimpleNamespace(value=Decimal(value)))
        for index, value in enumerate(values)
    ]
    return Chart.for_indicator(indicator, years)


def assert_clear_of_the_line(drawn):
    line = drawn.target_x
    for bar in drawn.bars:
        # The 3 px line, seen from the text: entirely before it or entirely after it.
        assert bar.text_end <= line - CLEARANCE or bar.text_x >= line + CLEARANCE, bar
        assert bar.text_x >= LABEL_WIDTH + bar.width + 2, bar  # the text is not on its bar
        assert bar.text_end <= drawn.width, bar  # nor cut off on the right


@pytest.mark.parametrize(
    "value", ["199", "199.5", "200", "200.5", "201", "190", "150", "100", "1", "0"]
)
def test_a_value_just_under_at_or_just_over_the_target_is_clear_of_the_line(value):
    assert_clear_of_the_line(chart(value, 201))
    assert_clear_of_the_line(chart(value))


def test_a_value_just_under_the_target_is_written_after_the_line():
    drawn = chart(198, 201)
    under = drawn.bars[0]
    assert under.value_label == "198 st"
    assert LABEL_WIDTH + under.width < drawn.target_x < under.text_x


def test_a_missing_figure_and_the_baseline_are_clear_of_the_line_too():
    drawn = chart(None, 40, target=30, baseline=25)
    assert [bar.value_label for bar in drawn.bars] == ["25 st", "inget utfall", "40 st"]
    assert_clear_of_the_line(drawn)


def test_the_drawing_widens_when_a_text_after_the_line_needs_the_room():
    drawn = chart(19_000, target=20_000)  # the line at the right end, "19 000 st" moved past it
    assert drawn.bars[0].text_x > drawn.target_x
    assert drawn.width >= drawn.bars[0].text_end > 440
    assert_clear_of_the_line(drawn)
