"""Bad input on the Panel's forms: a GOV.UK error summary or a save, never a 500, and a
refused change leaves what was saved as it was."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel import services
from panel.models import Meeting

from ..helpers import verified_client
from ..security.test_bad_input import field_names, junk

FORMS = ["call", "schedule", "member_add", "meeting_move", "meeting_cancel", "attendance"]


@pytest.mark.parametrize("route", FORMS)
def test_junk_never_breaks_a_panel_form(panel, meeting, route):
    from panel import forms, selectors

    client = verified_client(Client(), panel["pdeo"])
    kwargs = {"pk": meeting.pk} if route.startswith("meeting") or route == "attendance" else {}
    url = reverse(f"panel:{route}", kwargs=kwargs)
    form_class, form_kwargs = {
        "call": (forms.CallMeetingForm, {}),
        "schedule": (forms.ScheduleForm, {}),
        "member_add": (forms.MemberForm, {}),
        "meeting_move": (forms.MoveMeetingForm, {}),
        "meeting_cancel": (forms.CancelMeetingForm, {}),
        "attendance": (forms.AttendanceForm, {"attendance": selectors.attendance_of(meeting)}),
    }[route]
    names = field_names(form_class, **form_kwargs)

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({name: junk for name in names}))
    def post(data):
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert "govuk-error-summary" in response.content.decode()

    post()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_an_interested_chair_is_refused_on_the_page_and_nothing_is_saved(panel, meeting):
    from datetime import date as _date

    from panel.models import PanelDecision
    from rapid_reviews import services as rapid_reviews
    from tests.rapid_reviews.test_services import answer_all

    from ..factories import UserFactory
    from ..helpers import notify

    case = notify(panel["pdeo"], panel["la"], child_name="Sam Realname")
    review = rapid_reviews.open_rapid_review(case=case, user=panel["pdeo"])
    answer_all(review, panel["pdeo"])
    item = services.add_item(user=panel["pdeo"], meeting=meeting, kind="rapid_review", case=case)
    icb_member = services.add_member(
        user=panel["pdeo"],
        person=UserFactory(agency=panel["icb"], roles=["Panel Member"]),
        agency=panel["icb"],
        panel_role="member",
        deputy=UserFactory(agency=panel["icb"]),
        start_date=_date(2026, 1, 1),
    )
    statuses = {m: "present" for m in panel["members"].values()} | {icb_member: "present"}
    services.record_attendance(user=panel["pdeo"], meeting=meeting, statuses=statuses)
    chair = panel["members"]["chair"].user
    services.declare_interest(user=chair, item=item, person=chair, nature="Knows the family")
    client = verified_client(Client(), chair)
    response = client.post(
        reverse("panel:decide", kwargs={"pk": meeting.pk, "item_id": item.pk}),
        {"decision": "lcspr", "rationale": "Because", "national_review_view": "no"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "declared an interest" in html
    assert not PanelDecision.objects.exists()
    review.refresh_from_db()
    assert review.status == "in_progress"


def _action(panel, meeting):
    return services.add_action(
        user=panel["pdeo"],
        meeting=meeting,
        description="Brief every officer",
        owner_agency=panel["police"],
        due_date=meeting.date,
        measure_of_success="Audit",
    )


def _report(panel):
    from datetime import date

    return services.save_highlight_report(
        user=panel["pdeo"],
        executive_meeting="Executive Group meeting",
        executive_meeting_on=date(2026, 12, 3),
        key_messages="Keep going",
    )


@pytest.mark.parametrize(
    "route", ["action_add", "action_escalate", "highlight_new", "highlight_edit"]
)
def test_junk_never_breaks_the_action_log_or_highlight_report_forms(panel, meeting, route):
    from panel import forms, selectors
    from panel.models import Escalation, HighlightReport, IssuedHighlightReport
    from safeguarding.actions.models import Action

    client = verified_client(Client(), panel["pdeo"])
    action, report = _action(panel, meeting), _report(panel)
    url, form_class, form_kwargs = {
        "action_add": (
            reverse("panel:action_add", kwargs={"pk": meeting.pk}),
            forms.ActionLogForm,
            {"items": selectors.items_of(meeting)},
        ),
        "action_escalate": (
            reverse("panel:action_escalate", kwargs={"pk": action.pk}),
            forms.EscalateForm,
            {},
        ),
        "highlight_new": (reverse("panel:highlight_new"), forms.HighlightReportForm, {}),
        "highlight_edit": (
            reverse("panel:highlight_edit", kwargs={"pk": report.pk}),
            forms.HighlightEditForm,
            {},
        ),
    }[route]
    names = field_names(form_class, **form_kwargs)

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({name: junk for name in names}))
    def post(data):
        response = client.post(url, data)
        if response.status_code == 404:
            # Escalated once (some junk is a reason): the page is gone for that action.
            assert route == "action_escalate" and Escalation.objects.filter(action=action)
            return
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert "govuk-error-summary" in response.content.decode()

    post()
    # Junk never touched what was saved: the action, its escalation state, the issued versions.
    assert Action.objects.filter(pk=action.pk, description="Brief every officer").exists()
    assert HighlightReport.objects.filter(pk=report.pk).exists()
    assert not IssuedHighlightReport.objects.exists()
    if route != "action_escalate":
        assert not Escalation.objects.filter(action=action).exists()
