"""The demo Panel's action log (two actions from its held meeting, one overdue and escalated)
and its issued highlight report, which the Executive member reads; seeding twice adds none."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from panel.models import AgendaItem, Escalation, IssuedHighlightReport
from safeguarding.accounts.models import User
from safeguarding.actions.models import Action

from ..helpers import verified_client

pytestmark = pytest.mark.django_db


def test_the_demo_panel_has_an_action_log_and_an_issued_highlight_report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    logged = Action.objects.filter(source_type__model="agendaitem")
    assert logged.count() == 2
    item = AgendaItem.objects.get(pk=logged.first().source_id)
    assert item.kind == "action_log"
    assert all(a.source_label == f"Panel {item.meeting.date:%-d %B %Y}, item 2" for a in logged)
    overdue = logged.overdue().get()
    assert Escalation.objects.get().action == overdue
    issued = IssuedHighlightReport.objects.get()
    assert issued.number == 1
    listed = {a["reference"] for a in issued.content["overdue_actions"]}
    assert set(Action.objects.overdue().values_list("pk", flat=True)) == {
        int(ref.split()[-1]) for ref in listed
    }
    assert [e["reference"] for e in issued.content["escalations"]] == [overdue.reference]
    executive = User.objects.get(email="executive@northbridge.example")
    client = verified_client(Client(), executive)
    page = client.get(reverse("panel:highlight_issued", kwargs={"pk": issued.pk}))
    assert page.status_code == 200
    assert overdue.reference in page.content.decode()
