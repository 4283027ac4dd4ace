"""`{% reminder_items %}`: a reminder email's items read exactly as the `{% for %}` loop wrote
them, are escaped in the HTML and not in the text, and an item listed in several emails is
written once."""

import pytest

from safeguarding.deadlines import chasing
from safeguarding.outbox.models import OutboundEmail

from ..factories import UserFactory


def item(**overrides):
    return {
        "reference": "CSPR-2026-0001",
        "pseudonym": "Child A",
        "what": "Rapid review to complete",
        "due": "4 December 2026",
        "when": "due in 3 working days",
        "escalation": False,
        "url": "https://reviews.example/cases/CSPR-2026-0001/",
        **overrides,
    }


@pytest.mark.django_db
def test_the_text_reads_as_the_loop_wrote_it():
    person = UserFactory(full_name="Pat Lead")
    first = item()
    second = item(
        reference="CSPR-2026-0002",
        pseudonym="",
        when="2 working days overdue",
        url="https://reviews.example/cases/CSPR-2026-0002/",
    )
    _, text, _ = chasing._render(person, [first, second], OutboundEmail.Kind.DIGEST)
    assert (
        "These 2 deadlines need your attention:\n"
        "\n- CSPR-2026-0001 (Child A): Rapid review to complete\n"
        "  Due 4 December 2026 – due in 3 working days\n"
        "  https://reviews.example/cases/CSPR-2026-0001/\n"
        "\n- CSPR-2026-0002: Rapid review to complete\n"
        "  Due 4 December 2026 – 2 working days overdue\n"
        "  https://reviews.example/cases/CSPR-2026-0002/\n"
        "\nSee everything that is due: "
    ) in text


@pytest.mark.django_db
def test_the_html_escapes_what_the_text_leaves_alone():
    person = UserFactory(full_name="Pat Lead")
    shown = item(pseudonym="<b>A & B</b>", escalation=True)
    _, text, html = chasing._render(person, [shown], OutboundEmail.Kind.ESCALATION)
    assert "(&lt;b&gt;A &amp; B&lt;/b&gt;)" in html
    assert "<b>A" not in html
    assert "<strong>due in 3 working days</strong>" in html
    assert '<a href="https://reviews.example/cases/CSPR-2026-0001/">CSPR-2026-0001</a>' in html
    assert "(<b>A & B</b>)" in text
    assert html.count("<tr>") == 2  # the heading's row and the item's


@pytest.mark.django_db
def test_an_item_in_several_emails_is_written_once():
    shared = item()
    _, first_text, first_html = chasing._render(UserFactory(), [shared], OutboundEmail.Kind.DIGEST)
    # Written once and kept with the item: a second email reuses the lines as written.
    shared["what"] = "changed after it was written"
    _, second_text, second_html = chasing._render(
        UserFactory(), [shared, item(reference="CSPR-2026-0009")], OutboundEmail.Kind.DIGEST
    )
    assert "changed after it was written" not in second_text + second_html
    assert second_text.count("Rapid review to complete") == 2
    assert first_html.split("<tbody>")[1].split("</tbody>")[0].strip() in second_html
