"""The highlight report to an Executive Group meeting: its figures from the reports registry
over the time since the last issued report, the Business Manager's text, overdue actions and
the Panel's escalations; issued as a version that never changes (its content and its PDF kept),
a later edit making a new version; read by the Executive with references and pseudonyms only.
The PDF is read back with pdftotext and its counts checked against the data seeded here,
counted here from the seeding, not by the code under test."""

import hashlib
import shutil
import subprocess
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from cspr import services as cspr
from panel import highlight, services
from panel.models import IssuedHighlightReport
from safeguarding.accounts.roles import Role
from safeguarding.actions import services as actions

from ..conftest import TODAY, need
from ..factories import UserFactory
from ..helpers import notify, page_queries, refer, table_rows, verified_client

pytestmark = pytest.mark.django_db

YEAR_START = date(2026, 4, 1)  # the reporting year TODAY falls in: no report issued before
# (received on, notified on or None, child's name)
REFERRALS = [
    (date(2026, 3, 20), None, "Before Period"),  # before the period: not counted
    (date(2026, 5, 2), None, "Mayda Realname"),
    (date(2026, 9, 14), date(2026, 9, 16), "Septima Realname"),
    (date(2026, 11, 2), date(2026, 11, 3), "Novia Realname"),
]
# (owner agency key, set on, due, closed, escalated, on the notified case)
ACTIONS = [
    ("police", date(2026, 9, 1), date(2026, 11, 1), False, False, True),  # overdue
    ("school", date(2026, 9, 1), date(2026, 11, 20), False, True, False),  # overdue, escalated
    ("police", date(2026, 10, 1), date(2026, 12, 30), False, False, False),  # not yet due
    ("police", date(2026, 8, 1), date(2026, 10, 1), True, False, False),  # closed on evidence
]


def expected():
    """The figures, counted from the seeding above (not by the code under test)."""
    in_period = [r for r in REFERRALS if YEAR_START <= r[0] <= TODAY]
    notified = [r for r in REFERRALS if r[1] and YEAR_START <= r[1] <= TODAY]
    overdue = [a for a in ACTIONS if a[2] < TODAY and not a[3]]
    escalated = [a for a in ACTIONS if a[4] and not a[3]]
    return {
        "referrals": len(in_period),
        "notified": len(notified),
        "overdue": len(overdue),
        "escalations": len(escalated),
    }


@pytest.fixture
def seeded(panel, partners, today):
    pdeo = panel["pdeo"]
    cases = {}
    for received, notified_on, name in REFERRALS:
        if notified_on:
            cases[name] = notify(
                pdeo, panel["la"], child_name=name, received_on=received, submitted_on=notified_on
            )
        else:
            cases[name] = refer(pdeo, panel["la"], child_name=name, received_on=received).case
    case = cases["Novia Realname"]
    cspr.start_local_review(
        case=case, user=pdeo, decided_on=date(2026, 11, 10), decided_by="The partners"
    )
    owner = {"police": panel["police"], "school": panel["school"]}
    contributor = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=panel["police"])
    made = []
    for agency, set_on, due, closed, escalated, on_case in ACTIONS:
        action = actions.set_action(
            user=pdeo,
            case=case if on_case else None,
            source="action_log",
            source_label="Panel 13 October 2026",
            description=f"Action owned by {agency}, due {due}",
            owner_agency=owner[agency],
            due_date=due,
            measure_of_success="An audit",
            set_on=set_on,
        )
        if closed:
            actions.propose_closure(action=action, user=contributor, evidence="Audit done")
            actions.accept_closure(action=action, user=pdeo)
        if escalated:
            services.escalate_action(user=pdeo, action=action, reason="No progress since July")
        made.append(action)
    return {"case": case, "actions": made}


def draft(panel, **text):
    fields = {
        "executive_meeting": "Executive Group meeting",
        "executive_meeting_on": date(2026, 12, 3),
        "commissioning": "Commission a thematic review of infant injuries.",
        "learning": "Learning from the national review on babies under one.",
        "key_messages": "Strategy discussions must include health.",
    }
    return services.save_highlight_report(user=panel["pdeo"], **{**fields, **text})


def pdf_text(content, tmp_path, name):
    pdf = tmp_path / name
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_the_issued_pdf_read_back_matches_the_seeded_data(
    panel, seeded, client, fetch_file, settings, tmp_path
):
    need(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    settings.MEDIA_ROOT = tmp_path
    report = draft(panel)
    issued = services.issue_highlight_report(user=panel["pdeo"], report=report)
    assert (issued.period_start, issued.period_end) == (YEAR_START, TODAY)
    executive = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=panel["la"])
    verified_client(client, executive)
    response = fetch_file(client, reverse("panel:highlight_pdf", kwargs={"pk": issued.pk}))
    content = b"".join(response.streaming_content)
    text = pdf_text(content, tmp_path, "highlight.pdf")
    want = expected()
    assert "OFFICIAL-SENSITIVE" in text
    assert f"{want['referrals']} referrals, {want['notified']} notified" in text
    assert f"{want['overdue']} overdue actions" in text
    assert f"{want['escalations']} escalations" in text
    assert "1 started, 0 completed, 0 published" in text  # the one local review decided
    assert "Strategy discussions must include health." in text
    assert "Commission a thematic review of infant injuries." in text
    # The overdue actions and the escalation, by reference; the case by reference and
    # pseudonym, never the child's name.
    overdue, escalated, not_due, closed = seeded["actions"]
    for action in (overdue, escalated):
        assert f"{action.reference}" in text
    assert "No progress since July" in text
    assert f"Action owned by police, due {not_due.due_date}" not in text
    assert f"Action owned by police, due {closed.due_date}" not in text
    case = seeded["case"]
    assert case.reference in text and case.pseudonym in text
    assert "Realname" not in text
    reader = PdfReader(BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root.get("/Lang") == "en-GB"


def test_an_issued_version_never_changes_and_an_edit_makes_a_new_one(
    panel, seeded, client, fetch_file, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pdeo = panel["pdeo"]
    report = draft(panel)
    first = services.issue_highlight_report(user=pdeo, report=report)
    with pytest.raises(ValidationError, match="edit the report to issue a new version"):
        services.issue_highlight_report(user=pdeo, report=report)
    verified_client(client, pdeo)
    fetch_file(client, reverse("panel:highlight_pdf", kwargs={"pk": first.pk}))
    first.refresh_from_db()
    kept_pdf, kept_content = first.pdf.read(), dict(first.content)
    first.pdf.close()
    assert hashlib.sha256(kept_pdf).hexdigest() == first.pdf_sha256
    # Edited and more data since: the first version still says what it said.
    report.refresh_from_db()
    response = client.post(
        reverse("panel:highlight_edit", kwargs={"pk": report.pk}),
        {
            "version": report.version,
            "executive_meeting": "Executive Group meeting",
            "executive_meeting_on_0": "3",
            "executive_meeting_on_1": "12",
            "executive_meeting_on_2": "2026",
            "key_messages": "Corrected: strategy discussions must include health and schools.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    refer(pdeo, panel["la"], child_name="Late Realname", received_on=date(2026, 11, 23))
    second = services.issue_highlight_report(user=pdeo, report=report)
    assert second.number == 2 and second.period_start == first.period_start
    first.refresh_from_db()
    assert first.content == kept_content
    assert "Corrected" not in str(first.content) and "Corrected" in str(second.content)
    other = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=panel["la"])
    verified_client(client, other)
    again = fetch_file(client, reverse("panel:highlight_pdf", kwargs={"pk": first.pk}))
    assert b"".join(again.streaming_content) == kept_pdf  # the kept PDF, not a new one
    page = client.get(reverse("panel:highlight_issued", kwargs={"pk": first.pk}))
    assert "Version 2 has been issued since" in page.content.decode()
    # The next report counts from the day after this one's period.
    following = draft(panel, executive_meeting_on=date(2027, 2, 4))
    with __import__("time_machine").travel(date(2027, 1, 20), tick=False):
        third = services.issue_highlight_report(user=pdeo, report=following)
    assert third.period_start == TODAY + timedelta(days=1)
    assert IssuedHighlightReport.objects.count() == 3


def test_the_executive_reads_issued_versions_only_by_reference_and_pseudonym(panel, seeded, client):
    issued = services.issue_highlight_report(user=panel["pdeo"], report=draft(panel))
    executive = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=panel["la"])
    verified_client(client, executive)
    listing = client.get(reverse("panel:highlight_reports")).content.decode()
    assert reverse("panel:highlight_issued", kwargs={"pk": issued.pk}) in listing
    assert "Start a highlight report" not in listing
    html = client.get(reverse("panel:highlight_issued", kwargs={"pk": issued.pk}))
    assert html.status_code == 200
    page = html.content.decode()
    case = seeded["case"]
    assert case.reference in page and case.pseudonym in page and "Realname" not in page
    assert client.get(reverse("panel:highlight_report", args=[issued.report_id])).status_code == 403
    from safeguarding.audit.models import AccessLog

    assert AccessLog.objects.filter(user=executive, object_id=str(issued.pk)).exists()


def test_bad_input_answers_with_an_error_summary_and_loses_nothing(panel, client):
    verified_client(client, panel["pdeo"])
    response = client.post(
        reverse("panel:highlight_new"),
        {"executive_meeting": "", "executive_meeting_on_0": "31", "executive_meeting_on_1": "2"},
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    report = draft(panel, key_messages="")
    response = client.post(
        reverse("panel:highlight_issue", kwargs={"pk": report.pk}), {"version": "x"}, follow=True
    )
    assert "Enter the key messages before issuing the report" in response.content.decode()
    assert not IssuedHighlightReport.objects.exists()
    response = client.post(
        reverse("panel:highlight_edit", kwargs={"pk": report.pk}),
        {
            "version": "999",
            "executive_meeting": "Exec",
            "executive_meeting_on_0": "3",
            "executive_meeting_on_1": "12",
            "executive_meeting_on_2": "2026",
        },
    )
    assert "govuk-error-summary" in response.content.decode()
    report.refresh_from_db()
    assert report.executive_meeting == "Executive Group meeting"


def overdue_actions(panel, n):
    pdeo = panel["pdeo"]
    for i in range(n):
        action = actions.set_action(
            user=pdeo,
            description=f"Overdue {i}",
            owner_agency=panel["police"] if i % 2 else panel["school"],
            due_date=date(2026, 11, 1),
            measure_of_success="Audit",
            set_on=date(2026, 10, 1),
            case=None,
        )
        if i % 3 == 0:
            services.escalate_action(user=pdeo, action=action, reason="Late")


def test_the_highlight_pages_cost_the_same_for_5_overdue_actions_or_50(panel, today, client):
    verified_client(client, panel["pdeo"])
    overdue_actions(panel, 5)
    report = draft(panel)
    first = services.issue_highlight_report(user=panel["pdeo"], report=report)
    pages = [
        reverse("panel:highlight_reports"),
        reverse("panel:highlight_report", args=[report.pk]),
    ]
    five = [page_queries(client, url) for url in pages]
    five.append(page_queries(client, reverse("panel:highlight_issued", args=[first.pk])))
    overdue_actions(panel, 45)
    services.save_highlight_report(
        user=panel["pdeo"],
        report=report,
        **{
            "executive_meeting": "Exec",
            "key_messages": "K",
            "executive_meeting_on": date(2026, 12, 3),
        },
    )
    second = services.issue_highlight_report(user=panel["pdeo"], report=report)
    fifty = [page_queries(client, url) for url in pages]
    fifty.append(page_queries(client, reverse("panel:highlight_issued", args=[second.pk])))
    assert second.content["counts"]["overdue_actions"] == 50
    assert len(second.content["overdue_actions"]) == highlight.OVERDUE_LISTED
    assert five == fifty, f"5 overdue actions: {five} queries, 50: {fifty}"


def test_the_executive_reads_overdue_actions_counted_by_agency_and_the_longest_listed(
    panel, today, client, fetch_file, settings, tmp_path
):
    need(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    settings.MEDIA_ROOT = tmp_path
    overdue_actions(panel, 30)  # 15 the police's, 15 the school's, all due 1 November
    # One more of the school's, overdue for longest: listed first.
    oldest = actions.set_action(
        user=panel["pdeo"],
        description="Oldest overdue",
        owner_agency=panel["school"],
        due_date=date(2026, 10, 2),
        measure_of_success="Audit",
        set_on=date(2026, 10, 1),
        case=None,
    )
    issued = services.issue_highlight_report(user=panel["pdeo"], report=draft(panel))
    content = issued.content
    assert content["counts"]["overdue_actions"] == 31
    assert content["overdue_by_agency"] == [
        [panel["school"].name, 16],
        [panel["police"].name, 15],
    ]
    listed = [a["reference"] for a in content["overdue_actions"]]
    assert len(listed) == highlight.OVERDUE_LISTED == 25
    assert listed[0] == oldest.reference
    executive = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=panel["la"])
    verified_client(client, executive)
    page = client.get(reverse("panel:highlight_issued", kwargs={"pk": issued.pk})).content
    page = " ".join(page.decode().split())
    assert "The 25 longest overdue of 31 are listed here; the action log has them all." in page
    assert table_rows(page, "overdue-by-agency") == [
        [panel["school"].name, "16"],
        [panel["police"].name, "15"],
    ]
    response = fetch_file(client, reverse("panel:highlight_pdf", kwargs={"pk": issued.pk}))
    text = pdf_text(b"".join(response.streaming_content), tmp_path, "highlight.pdf")
    assert "The 25 longest overdue of 31 are listed here" in text
    assert f"{panel['school'].name} 16 {panel['police'].name} 15" in text
    assert "Oldest overdue" in text
