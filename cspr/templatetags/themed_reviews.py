"""The reviews tagged with a learning theme, written out in Python rather than through the
template's loop: a partnership's decade tags about 1,200 reviews, and the loop over them was
half of the learning themes page (docs/performance.md, "Eleventh round"). The same HTML the
loop wrote: tests/cspr/test_themed_reviews.py renders both and compares them."""

from html import escape  # django.utils.html.escape is this, behind a lazy-string wrapper

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def themed_reviews(reviews):
    """`{% themed_reviews reviews %}`: each review's reference and pseudonym, one a line."""
    return mark_safe(
        "<br>".join(f"{escape(str(r.reference))} – {escape(str(r.pseudonym))}" for r in reviews)
    )
