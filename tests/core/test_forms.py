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


@pytest.mark.parametrize("value", ["", "2", "3"])
def test_a_long_select_writes_the_same_html_as_djangos(value):
    """LongSelect writes its options in Python (one template each was slow): the page must
    not tell the difference, selected option, escaping and attributes included."""
    from django import forms
    from django.test.html import parse_html

    from safeguarding.forms import LongSelect

    choices = [("", "Any"), ("2", "Police & <Crime>"), ("3", 'The "Trust"')]
    attrs = {"id": "id_agency", "class": "govuk-select", "aria-describedby": "agency-hint"}
    ours = LongSelect(choices=choices).render("agency", value, attrs)
    # The same elements, attributes and text (parse_html: attribute order and whitespace
    # between tags aside), and the one selected option is the value's.
    assert parse_html(ours) == parse_html(
        forms.Select(choices=choices).render("agency", value, attrs)
    )
    assert ours.count(" selected") == 1 and f'value="{value}" selected' in ours


def test_a_long_select_with_groups_falls_back_to_djangos_templates():
    from django import forms

    from safeguarding.forms import LongSelect

    choices = [("Statutory partners", [("1", "Council"), ("2", "Police")]), ("3", "School")]
    assert LongSelect(choices=choices).render("agency", "2") == forms.Select(
        choices=choices
    ).render("agency", "2")
