"""D8 is chased by the real worker: beat's chase on a Celery worker process on Redis emails the
Lead Reviewer about a local review past its 6 months."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.utils import timezone

from cspr import services
from cspr.models import Appointment
from safeguarding.accounts.roles import Role
from safeguarding.deadlines.models import Reminder
from safeguarding.deadlines.tasks import chase_deadlines
from tests.factories import AgencyFactory, CaseFactory

pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]


def test_the_worker_chases_d8_to_the_lead_reviewer(celery_worker_process, make_user):
    pdeo = make_user(Role.PDEO)
    lead = make_user(
        Role.LEAD_REVIEWER,
        email="lead.reviewer@independent.example",
        agency=AgencyFactory(name="Independent reviewers"),
    )
    decided = timezone.localdate() - timedelta(days=200)  # past the 6 months
    case = CaseFactory(user=pdeo, incident_date=decided - timedelta(days=10))
    review = services.start_local_review(
        case=case, user=pdeo, decided_on=decided, decided_by="The three partners"
    )
    services.appoint(review=review, user=pdeo, person=lead, role=Appointment.Role.LEAD_REVIEWER)
    chase_deadlines.delay(force=True)

    def sent():
        # The lead's email that carries D8: a chase may also write them one about another of
        # the review's clocks (the progress check) on its own, the files come in any order, and
        # one file may hold several emails (one per message, between lines of dashes).
        for path in celery_worker_process.mail_path.iterdir():
            for text in path.read_text().split("\n" + "-" * 79):
                if "lead.reviewer@independent.example" in text and "Complete and publish" in text:
                    return text

    raw = celery_worker_process.wait_for(sent)
    message = email.message_from_string(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert case.reference in body
    assert "Complete and publish the local review" in body
    assert "overdue" in body
    assert Reminder.objects.filter(recipient=lead, deadline__kind="lcspr_published").exists()
    assert case.children.get().name not in raw
