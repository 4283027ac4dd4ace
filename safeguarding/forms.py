"""Form pieces shared by every app: GOV.UK date inputs with the Design System's messages, and
the form renderer (FORM_RENDERER) that writes every <select> in Python."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.html import conditional_escape

SELECT_TEMPLATE = forms.Select.template_name
OPTION_TEMPLATE = forms.Select.option_template_name


def _attrs(attrs):
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget):
    """A <select> and its options, the text Django's select.html and select_option.html
    write for the same widget context (their whitespace included)."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        out.extend(
            f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out).strip()


class FormRenderer(DjangoTemplates):
    """Django's form renderer, but a <select> is written in Python (`select_html`) rather than
    by a template include for each option: a form choosing one of the partnership's 1,000
    people took 115 ms to render that way (docs/performance.md, "Thirteenth round").
    A select whose options use another template still goes through the templates."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT_TEMPLATE else None
        if widget is not None and all(
            option["template_name"] == OPTION_TEMPLATE
            for _, options, _ in widget["optgroups"]
            for option in options
        ):
            return select_html(widget)
        return super().render(template_name, context, request)


class GovukDateField(DateInputField):
    """A GOV.UK date input (day, month, year) that never fails with a 500 on odd input.

    `what` names the date in messages: "Enter the date the local authority became aware".
    `past_only` refuses a date after today.
    """

    def __init__(self, *, what, past_only=False, **kwargs):
        self.what = what
        self.past_only = past_only
        # Each missing part is named ("must include a year"), as the Design System asks.
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        what_cap = what[0].upper() + what[1:]
        self.error_messages.update(
            required=f"Enter {what}",
            incomplete=f"{what_cap} must include a day, month and year",
            invalid=f"{what_cap} must be a real date",
        )
        for sub, part in zip(self.fields, ("day", "month", "year"), strict=True):
            sub.error_messages["incomplete"] = f"{what_cap} must include a {part}"
            sub.error_messages["required"] = f"{what_cap} must include a {part}"
            sub.validators[0].message = f"{what_cap} must be a real date"

    def clean(self, value):
        # A part of only spaces is a part left blank.
        if isinstance(value, list | tuple):
            value = [part.strip() if isinstance(part, str) else part for part in value]
        return super().clean(value)

    def compress(self, data_list):
        parts = [str(p).strip() if p is not None else "" for p in (data_list or [])]
        day, month, year = (parts + ["", "", ""])[:3]
        if not (day or month or year):
            # Blank parts that were only spaces reach here too: a required date is still missing.
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        what_cap = self.what[0].upper() + self.what[1:]
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            raise ValidationError(f"{what_cap} must be a real date", code="invalid") from error
        if value.year < 1900:
            raise ValidationError(f"{what_cap} must be a real date", code="invalid")
        if self.past_only and value > timezone.localdate():
            raise ValidationError(f"{what_cap} must be today or in the past", code="future")
        return value


def numeric_input(*, width):
    """A GOV.UK text input for whole numbers: numeric keypad on phones, no spinner, styled
    (crispy-forms-gds styles TextInput, not NumberInput)."""
    return forms.TextInput(
        attrs={
            "class": f"govuk-input--width-{width}",
            "inputmode": "numeric",
            "spellcheck": "false",
        }
    )


class GovukTimeField(forms.TimeField):
    """A time as a styled GOV.UK text input ("14:30"), shown without seconds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5"}))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Enter the time like 14:30"

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%H:%M")
        return value


class VersionField(forms.IntegerField):
    """The version of the record the form was opened on, for detecting concurrent edits."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, required=True, **kwargs)
        self.error_messages["required"] = "This page is out of date. Reload it and try again."
        self.error_messages["invalid"] = "This page is out of date. Reload it and try again."


CONCURRENT_EDIT_MESSAGE = (
    "Someone else saved changes to this record while you were editing it. Your changes have not "
    "been saved. Reload the page to see their changes, then make yours again."
)


# Primary keys are 64-bit integers. A bigger number typed into a form or a URL would reach the
# database and fail there (a 500); these fields and the "id" path converter refuse it first.
MAX_ID = 2**63 - 1


def plausible_id(value):
    text = str(value).strip()
    # ASCII digits only: "²" and "٣" are digits to str.isdigit() but not to int().
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not plausible_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not plausible_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class IdConverter:
    """<id:...> in URLs: a database id, at most 18 digits."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
