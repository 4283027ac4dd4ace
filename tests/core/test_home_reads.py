"""The home page's lists and What's due read what their lines show: a case's reference and
pseudonym, never its outline; a referral's agency and date, never what happened; an email's
subject, never its body; an action's agency, never its text or evidence. Free text about a
child is read on the page that shows it, not for a line that links there."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.actions import services as actions
from safeguarding.deadlines.models import Deadline, Reminder
from safeguarding.deadlines.rules import Kind
from safeguarding.outbox.models import OutboundEmail

from ..helpers import page_reads, reads_beyond_its_lines, refer, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(notified_case, partners, today):
    """Something in each of the PDEO's lists: a referral to screen, the clocks they lead, a
    reminder, an email that could not be sent and a closure to decide."""
    pdeo = partners["pdeo"]
    refer(
        pdeo,
        partners["la"],
        child_name="Robin Screen",
        what_happened="Found alone",
        why_serious="-",
    )
    clock = Deadline.objects.get(case=notified_case, kind=Kind.TELL_PARTNERS)
    Reminder.objects.create(
        deadline=clock, recipient=pdeo, rung="due", day=today, run_id=uuid.uuid4()
    )
    OutboundEmail.objects.create(
        recipient=pdeo,
        to_address=pdeo.email,
        kind=OutboundEmail.Kind.DIGEST,
        day=today,
        subject="Your reminders",
        body_text="Body",
        status=OutboundEmail.Status.FAILED,
    )
    action = actions.set_action(
        user=pdeo,
        case=notified_case,
        description="Train every duty officer",
        owner_agency=partners["police"],
        due_date=today,
        set_on=None,
        measure_of_success="Audit",
    )
    actions.propose_closure(action=action, user=partners["police_contributor"], evidence="Done")
    return {"case": notified_case, "action": action}


def test_the_pdeos_home_page_reads_only_what_its_lines_show(owed, partners):
    case = owed["case"]
    html, selects = page_reads(verified_client(Client(), partners["pdeo"]), reverse("home"))
    label = f"{case.reference} – {case.pseudonym}"
    for shown in (
        "Record the screening decision",
        "Tell the safeguarding partners",
        "Reminders for you",
        "Emails that need a decision",
        "Your reminders to Pat Deo",
        "Action closures to decide",
        f"Action {owed['action'].pk} (Northbridge Police), {label}",
        "Cases in progress",
        label,
    ):
        assert shown in html, shown
    assert not reads_beyond_its_lines(selects)


def test_whats_due_reads_only_what_its_rows_show(owed, partners):
    case = owed["case"]
    html, selects = page_reads(verified_client(Client(), partners["pdeo"]), reverse("whats_due"))
    assert case.reference in html and case.pseudonym in html
    assert "The PDEO or Chair (closure to decide)" in html  # the action's clock, labelled
    assert not reads_beyond_its_lines(selects)
