"""The filters' <option> lists are written out in Python (templatetags/select_options.py) for
speed: the HTML must be what the template's loop wrote."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils.safestring import mark_safe

# The loop as the case list wrote it before the options were written in Python.
LOOP = (
    '{% for value, label in choices %}<option value="{{ value }}"{% if chosen|stringformat:"s"'
    ' == value|stringformat:"s" %} selected{% endif %}>{{ label }}</option>{% endfor %}'
)
CHOICES = [
    ("", "Any agency"),
    (3, "Northshire Police & <Crime>"),
    (12, 'St Mary\'s "Primary"'),
    ("closed", mark_safe("Closed <em>cases</em>")),
    ("None", "A value that reads None"),
]


def render(source, **context):
    return parse_html(Template(source).render(Context(context)))


@pytest.mark.parametrize("chosen", [None, "", 3, "3", "12", "closed", "nothing-offered"])
def test_the_options_are_written_as_the_template_wrote_them(chosen):
    written = render(
        "{% load select_options %}{% select_options choices chosen %}",
        choices=CHOICES,
        chosen=chosen,
    )
    assert written == render(LOOP, choices=CHOICES, chosen=chosen)
    html = str(written)
    assert "<Crime>" not in html
    assert html.count("selected") == (0 if chosen == "nothing-offered" else 1)
