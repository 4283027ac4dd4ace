"""The form renderer writes every <select> in Python (safeguarding/forms.py, for speed): the
text must be what Django's select templates write for the same widget, escaping, selection,
groups and attributes included."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from safeguarding.accounts.models import Agency
from safeguarding.forms import FormRenderer, ModelChoiceField

AWKWARD = [
    ("", "Choose one"),
    (1, 'O\'Brien & "Sons" <Ltd>'),
    ("a&b", "Plain"),
    (
        "Group <1>",
        [("g1", "In a group"), ("g2", "Also & in it")],
    ),
    (3, "Three"),
]


class Awkward(forms.Form):
    one = forms.ChoiceField(choices=AWKWARD)
    optional = forms.ChoiceField(choices=AWKWARD, required=False, disabled=True)
    many = forms.MultipleChoiceField(choices=AWKWARD, widget=forms.SelectMultiple)
    typed = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
    yes_no = forms.NullBooleanField(widget=forms.NullBooleanSelect)
    labelled = forms.ChoiceField(
        choices=AWKWARD,
        widget=forms.Select(attrs={"class": "govuk-select", "aria-describedby": 'x "y"'}),
    )


def both(form_class, data, name):
    """The field as the service's renderer writes it, and as Django's templates do."""
    ours = form_class(data)[name].as_widget()  # FORM_RENDERER: the service's
    theirs = form_class(data, renderer=DjangoTemplates())[name].as_widget()
    return ours, theirs


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"one": "1", "many": ["a&b", "g2"], "typed": "2", "yes_no": "true", "labelled": "g1"},
        {"one": "not a choice", "many": ["3"], "yes_no": "false"},
    ],
)
@pytest.mark.parametrize("name", ["one", "optional", "many", "typed", "yes_no", "labelled"])
def test_a_select_is_written_as_the_templates_wrote_it(data, name):
    assert isinstance(get_default_renderer(), FormRenderer)
    ours, django = both(Awkward, data or None, name)
    assert ours == django
    assert "<select" in ours and ("&lt;Ltd&gt;" in ours or name in ("typed", "yes_no"))


@pytest.mark.django_db
def test_a_model_choice_is_written_as_the_templates_wrote_it():
    Agency.objects.create(name='St Mary\'s & "Northbridge" <Academy>', kind="education")
    chosen = Agency.objects.create(name="Northbridge Police", kind="police")

    class Pick(forms.Form):
        agency = ModelChoiceField(queryset=Agency.objects.order_by("name"), empty_label="Pick")

    ours, django = both(Pick, {"agency": str(chosen.pk)}, "agency")
    assert ours == django
    assert f'<option value="{chosen.pk}" selected>Northbridge Police</option>' in ours


class OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


def test_a_select_with_its_own_option_template_goes_through_the_templates():
    class Own(forms.Form):
        one = forms.ChoiceField(choices=[("a", "A")], widget=OwnOption)

    ours, django = both(Own, None, "one")
    assert ours == django and 'type="' in ours  # the input_option template's, not ours


def test_the_service_renders_its_selects_in_python(monkeypatch):
    """The setting is what makes the difference: the service's renderer never reaches the
    select templates (Django's renderer does)."""
    rendered = []
    original = DjangoTemplates.render

    def spy(self, template_name, context, request=None):
        rendered.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", spy)
    Awkward({"one": "1"})["one"].as_widget()
    assert "django/forms/widgets/select.html" not in rendered
    Awkward({"one": "1"}, renderer=DjangoTemplates())["one"].as_widget()
    assert "django/forms/widgets/select.html" in rendered
