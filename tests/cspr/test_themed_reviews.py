"""The learning themes page writes each theme's reviews in Python (templatetags/
themed_reviews.py) for speed: the HTML must be what the template's loop wrote."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from cspr.selectors import ThemedReview

# The loop as the page wrote it before the reviews were written in Python.
LOOP = (
    "{% for review in reviews %}{{ review.reference }} – {{ review.pseudonym }}"
    "{% if not forloop.last %}<br>{% endif %}{% endfor %}"
)
REVIEWS = [
    ThemedReview("NSCP-2024-001", 'Child "A" & <B>'),
    ThemedReview("NSCP-2025-017", "O'Brien"),
    ThemedReview("NSCP-2026-120", "Child C"),
]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_reviews_are_written_as_the_template_wrote_them(count):
    reviews = REVIEWS[:count]
    ours = Template("{% load themed_reviews %}{% themed_reviews reviews %}").render(
        Context({"reviews": reviews})
    )
    assert parse_html(ours) == parse_html(Template(LOOP).render(Context({"reviews": reviews})))
    assert "<B>" not in ours and ours.count("<br>") == max(count - 1, 0)
