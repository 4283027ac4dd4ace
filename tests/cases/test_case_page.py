"""The case page leads with a summary (stage, next clock, whom it waits on) and shows one
section at a time, each a plain link (no JavaScript), each through the gate and logged."""

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AccessLog

from ..helpers import notify, verified_client

pytestmark = pytest.mark.django_db

SECTIONS = ["overview", "referral", "rapid-review", "agencies", "team", "history"]


@pytest.fixture
def case(pdeo, today):
    agency = Agency.objects.create(name="Northbridge Police", kind="police")
    return notify(pdeo, agency, child_name="Sam Secret", submitted_on=None)


def test_the_summary_names_the_next_clock_and_whom_it_waits_on(case, pdeo):
    client = verified_client(Client(), pdeo)
    url = reverse("cases:detail", args=[case.reference])
    for section in SECTIONS:
        response = client.get(url, {"section": section})
        assert response.status_code == 200, section
        html = response.content.decode()
        summary = html.split('data-testid="case-summary"')[1].split("</dl>")[0]
        assert "Notification" in summary  # the stage
        assert "Notify the national Panel" in summary  # due first (overdue)
        assert f"{pdeo.full_name} (case lead)" in summary
        assert f'href="?section={section}" aria-current="page"' in html


def test_each_section_is_logged_and_an_unknown_one_is_not_found(case, pdeo):
    client = verified_client(Client(), pdeo)
    url = reverse("cases:detail", args=[case.reference])
    for section in SECTIONS:
        client.get(url, {"section": section})
    assert AccessLog.objects.filter(user=pdeo, object_id=str(case.pk)).count() == len(SECTIONS)
    assert client.get(url, {"section": "nonsense"}).status_code == 404
    assert AccessLog.objects.filter(user=pdeo).count() == len(SECTIONS)


def test_a_section_outside_the_gate_is_not_found(case, make_user):
    outsider = make_user(Role.LEAD_REVIEWER)  # not on this case's team
    client = verified_client(Client(), outsider)
    url = reverse("cases:detail", args=[case.reference])
    for section in SECTIONS:
        assert client.get(url, {"section": section}).status_code == 404


def test_the_overview_says_what_to_do_next_and_sections_hold_the_stages(case, pdeo):
    client = verified_client(Client(), pdeo)
    url = reverse("cases:detail", args=[case.reference])
    overview = client.get(url).content.decode()
    steps = overview.split('data-testid="next-steps"')[1].split("</div>")[0]
    assert "Record the notification" in steps and "Start the rapid review" in steps
    assert "Sam Secret" in overview  # the children are on the overview
    assert 'data-testid="timeline"' not in overview
    referral = client.get(url, {"section": "referral"}).content.decode()
    assert 'data-testid="notification"' in referral
    history = client.get(url, {"section": "history"}).content.decode()
    assert "Case created" in history


def test_a_panel_member_off_the_team_gets_the_summary_whatever_the_section(case, pdeo, make_user):
    """Seeing a case is not reading it (the gate's two steps): every section shows free text
    or identifying details, so a Panel member off the team gets the summary page for each,
    each view logged once by the page mixin, and no section's content or navigation."""
    member = make_user(Role.PANEL_MEMBER)
    client = verified_client(Client(), member)
    url = reverse("cases:detail", args=[case.reference])
    for section in SECTIONS:
        response = client.get(url, {"section": section})
        assert response.status_code == 200, section
        assert [t.name for t in response.templates][0] == "cases/case_summary.html", section
        html = response.content.decode()
        assert 'data-testid="read-rule"' in html and case.pseudonym in html
        assert "Sam Secret" not in html
        assert 'data-testid="case-sections"' not in html
        assert 'data-testid="timeline"' not in html
    assert AccessLog.objects.filter(user=member, object_id=str(case.pk)).count() == len(SECTIONS)
    assert client.get(url, {"section": "nonsense"}).status_code == 404
    assert AccessLog.objects.filter(user=member).count() == len(SECTIONS)
