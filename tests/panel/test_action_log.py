"""The Panel's action log: actions arising at a meeting or one of its items are the
partnership's one action model (set, chased and closed by safeguarding/actions), their source
the meeting or the item; overdue ones are flagged, and those the Panel escalates are marked
for the highlight report. Through the actions gate: a member sees their own agency's."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from panel import services
from panel.models import AgendaItem, Escalation, Meeting
from safeguarding.actions.models import Action
from safeguarding.deadlines.models import Deadline

from ..factories import CaseFactory
from ..helpers import page_queries, verified_client

pytestmark = pytest.mark.django_db


def add(panel, meeting, **overrides):
    fields = {
        "user": panel["pdeo"],
        "meeting": meeting,
        "description": "Brief every officer on the joint checklist",
        "owner_agency": panel["police"],
        "due_date": date(2027, 1, 29),
        "measure_of_success": "A dip sample of 20 strategy discussions",
    }
    return services.add_action(**{**fields, **overrides})


def test_an_action_from_an_item_is_the_action_model_with_the_item_as_its_source(panel, meeting):
    case = CaseFactory(user=panel["pdeo"], stage="rapid_review")
    item = services.add_item(user=panel["pdeo"], meeting=meeting, kind="referral", case=case)
    action = add(panel, meeting, item=item)
    assert action.source == Action.Source.ACTION_LOG
    assert action.source_type == ContentType.objects.get_for_model(AgendaItem)
    assert action.source_id == item.pk
    assert action.source_label == "Panel 24 November 2026, item 1"
    assert action.case == case  # an item about a case sets an action on that case
    assert action.set_on == meeting.date
    clock = Deadline.objects.get(kind="action_due", object_id=action.pk)
    assert clock.due_date == date(2027, 1, 29) and clock.status == "open"  # D15, chased


def test_an_action_from_the_meeting_as_a_whole(panel, meeting):
    action = add(panel, meeting)
    assert action.source_type == ContentType.objects.get_for_model(Meeting)
    assert action.source_id == meeting.pk and action.case is None
    assert action.source_label == "Panel 24 November 2026"


def test_refusals_leave_nothing_behind(panel, meeting):
    from datetime import time

    ahead = services.call_extraordinary_meeting(
        user=panel["pdeo"],
        day=date(2027, 1, 12),
        start_time=time(10),
        end_time=time(12),
        place="Room",
    )
    with pytest.raises(ValidationError, match="not happened yet"):
        add(panel, ahead)
    with pytest.raises(ValidationError) as refused:
        add(panel, meeting, due_date=date(2026, 11, 1))
    assert "due_date" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        add(panel, meeting, escalate=True, escalation_reason=" ")
    assert "escalation_reason" in refused.value.error_dict
    assert not Action.objects.exists() and not Escalation.objects.exists()


def test_the_form_answers_bad_input_with_an_error_summary_and_saves_nothing(panel, meeting):
    client = verified_client(Client(), panel["pdeo"])
    url = reverse("panel:action_add", kwargs={"pk": meeting.pk})
    page = client.get(url)
    assert page.status_code == 200
    for junk in (
        {"description": "", "owner_agency": "x", "due_date_0": "31", "due_date_1": "2"},
        {
            "description": "Do it",
            "owner_agency": panel["police"].pk,
            "due_date_0": "1",
            "due_date_1": "11",
            "due_date_2": "2026",
            "measure_of_success": "Audit",
            "item": "999999",
        },
        {
            "description": "Do it",
            "owner_agency": panel["police"].pk,
            "due_date_0": "1",
            "due_date_1": "11",
            "due_date_2": "2026",
            "measure_of_success": "Audit",
        },
    ):
        response = client.post(url, junk)
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html
    assert "on or after the day the action was set" in html
    assert not Action.objects.exists()


def post_action(client, meeting, **extra):
    return client.post(
        reverse("panel:action_add", kwargs={"pk": meeting.pk}),
        {
            "description": "Brief every officer",
            "owner_agency": extra.pop("agency"),
            "due_date_0": str(extra["due"].day),
            "due_date_1": str(extra["due"].month),
            "due_date_2": str(extra.pop("due").year),
            "measure_of_success": "Audit",
            **extra,
        },
    )


def test_overdue_actions_are_flagged_and_an_escalated_one_marked(panel, meeting):
    pdeo = panel["pdeo"]
    client = verified_client(Client(), pdeo)
    assert (
        post_action(client, meeting, agency=panel["police"].pk, due=date(2026, 12, 1)).status_code
        == 302
    )
    response = post_action(
        client,
        meeting,
        agency=panel["school"].pk,
        due=date(2026, 12, 8),
        escalate="on",
        escalation_reason="No school place for three months",
    )
    assert response.status_code == 302
    police_action, school_action = Action.objects.order_by("pk")
    assert Escalation.objects.get().action == school_action
    with time_machine.travel(date(2026, 12, 2), tick=False):
        client = verified_client(Client(), pdeo)
        log = client.get(reverse("panel:action_log")).content.decode()
        assert log.count('data-testid="overdue"') == 1  # the police's, due yesterday
        assert log.count('data-testid="escalated"') == 1
        assert "1 overdue" in log
        chair = verified_client(Client(), panel["members"]["chair"].user)
        url = reverse("panel:action_escalate", kwargs={"pk": police_action.pk})
        assert chair.get(url).status_code == 200
        empty = chair.post(url, {"reason": ""})
        assert "govuk-error-summary" in empty.content.decode()
        assert chair.post(url, {"reason": "Overdue, no update"}).status_code == 302
        assert police_action.panel_escalation.escalated_on == date(2026, 12, 2)
        # Escalated once only: the page is gone for it.
        assert chair.get(url).status_code == 404
        overdue_only = chair.get(reverse("panel:action_log") + "?overdue=on")
        assert [a.pk for a, *_ in overdue_only.context["rows"]] == [police_action.pk]
        meeting_page = chair.get(reverse("panel:meeting_actions", kwargs={"pk": meeting.pk}))
        assert meeting_page.content.decode().count('data-testid="escalated"') == 2


def test_a_finished_action_cannot_be_escalated(panel, meeting):
    action = add(panel, meeting)
    Action.objects.filter(pk=action.pk).update(status=Action.Status.CLOSED)
    with pytest.raises(ValidationError, match="nothing to escalate"):
        services.escalate_action(user=panel["pdeo"], action=action, reason="Late")


def test_a_member_sees_their_own_agencys_actions_only(panel, meeting):
    ours = add(panel, meeting)  # the police's
    theirs = add(panel, meeting, owner_agency=panel["school"])
    police_member = panel["members"]["police"].user
    client = verified_client(Client(), police_member)
    rows = client.get(reverse("panel:action_log")).context["rows"]
    assert [a.pk for a, *_ in rows] == [ours.pk]
    rows = client.get(reverse("panel:meeting_actions", kwargs={"pk": meeting.pk})).context["rows"]
    assert [a.pk for a, *_ in rows] == [ours.pk]
    assert theirs.pk not in [a.pk for a, *_ in rows]
    # A member does not escalate (the Chair, Deputy Chair and PDEO do).
    url = reverse("panel:action_escalate", kwargs={"pk": ours.pk})
    assert client.get(url).status_code == 403


def add_many(panel, meeting, n):
    case = CaseFactory(user=panel["pdeo"], stage="rapid_review")
    item = services.add_item(user=panel["pdeo"], meeting=meeting, kind="referral", case=case)
    for i in range(n):
        action = add(
            panel,
            meeting,
            item=item if i % 2 else None,
            due_date=meeting.date + timedelta(days=i),
            owner_agency=panel["police"] if i % 3 else panel["school"],
        )
        if i % 4 == 0:
            services.escalate_action(user=panel["pdeo"], action=action, reason="Late")


def test_the_action_log_pages_cost_the_same_for_5_actions_or_50(panel, meeting):
    client = verified_client(Client(), panel["pdeo"])
    log, ours = reverse("panel:action_log"), reverse("panel:meeting_actions", args=[meeting.pk])
    add_many(panel, meeting, 5)
    five = page_queries(client, log), page_queries(client, ours)
    add_many(panel, meeting, 45)
    fifty = page_queries(client, log), page_queries(client, ours)
    assert five == fifty, f"5 actions: {five} queries, 50: {fifty}"
