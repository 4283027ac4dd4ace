"""`{% reminder_items items "email/reminder_item.html" %}`: each item of a reminder email,
written through its own small template once, however many emails list it.

The chase writes about 1,000 emails a morning listing 20,000 items, and the same deadline
is listed to each of its owners (and again to whoever it is escalated to): the chase hands
each email the same item (`chasing._emails_for`), so its lines are written once and reused.
Item by item through `{% for %}` this was most of the chase's Python time
(docs/performance.md, "Eighth round")."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def reminder_items(items, template_name):
    partial = get_template(template_name)
    written = []
    for item in items:
        kept = item.setdefault("_written", {})
        if template_name not in kept:
            kept[template_name] = partial.render({"item": item})
        written.append(kept[template_name])
    # Each item's own template escapes what it shows (the text one turns escaping off).
    return mark_safe("".join(written))
