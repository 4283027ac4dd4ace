"""The GOV.UK date input: whatever is typed, a date or a message the person can act on."""

from datetime import date

import pytest
from django import forms

from safeguarding.forms import GovukDateField


class Dates(forms.Form):
    needed = GovukDateField(label="Date sent", what="the date sent")
    optional = GovukDateField(label="Date told", what="the date told", required=False)


def errors(data):
    form = Dates(data)
    form.is_valid()
    return form


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
def test_a_required_date_of_spaces_is_missing_not_none(blank):
    form = errors({"needed_0": blank, "needed_1": blank, "needed_2": blank})
    assert form.errors["needed"] == ["Enter the date sent"]


def test_part_of_a_date_is_incomplete_even_when_the_date_is_optional():
    form = errors(
        {
            "needed_0": "3",
            "needed_1": "11",
            "needed_2": "2026",
            "optional_0": "4",
            "optional_1": " ",
            "optional_2": "2026",
        }
    )
    assert form.errors["optional"] == ["The date told must include a month"]


def test_an_optional_date_left_blank_is_none_and_a_whole_one_is_a_date():
    form = errors({"needed_0": "3", "needed_1": "11", "needed_2": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"needed": date(2026, 11, 3), "optional": None}
