"""A filter's <option> list, written out in Python: the case list's and the chronology's agency
filters offer every agency (100 in a large partnership), and the template's loop, testing
each against the chosen value through two filters, was a fifth of the case list's Python time
(docs/performance.md, "Seventh round"). The same HTML the loop wrote:
tests/cases/test_select_options.py renders both and compares them."""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def select_options(choices, chosen):
    """`{% select_options field.field.choices field.value %}`: each choice as an <option>, the
    one whose value reads as `chosen` selected."""
    chosen = str(chosen)
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{conditional_escape(label)}</option>"
            for value, label in choices
        )
    )
