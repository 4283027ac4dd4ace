"""The GOV.UK date field: spaces typed in a part are not a date (hypothesis found a required
date that cleaned to None, and the service behind it failed with a 500)."""

import pytest
from django import forms

from safeguarding.forms import GovukDateField


class SendForm(forms.Form):
    sent_on = GovukDateField(what="the date sent", past_only=True)


class OptionalForm(forms.Form):
    told_on = GovukDateField(what="the date told", required=False)


@pytest.mark.parametrize(
    "parts, message",
    [
        # The missing part is named, as the Design System asks (the journeys branch).
        (("0", "0", " "), "The date sent must include a year"),
        (("1", " ", "2026"), "The date sent must include a month"),
        ((" ", " ", " "), "Enter the date sent"),
        (("0", "0", "2026"), "The date sent must be a real date"),
    ],
)
def test_a_required_date_with_blank_parts_is_an_error_not_none(parts, message):
    form = SendForm(data={f"sent_on_{i}": part for i, part in enumerate(parts)})
    assert not form.is_valid()
    assert form.errors["sent_on"] == [message]


def test_an_optional_date_of_spaces_is_empty_and_a_part_of_one_is_incomplete():
    empty = OptionalForm(data={"told_on_0": " ", "told_on_1": " ", "told_on_2": " "})
    assert empty.is_valid() and empty.cleaned_data["told_on"] is None
    partial = OptionalForm(data={"told_on_0": "3", "told_on_1": " ", "told_on_2": "2026"})
    assert not partial.is_valid()
