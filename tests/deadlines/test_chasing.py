"""The chase: every rung of a ladder on the right working day, once; one email per person per
day; nothing identifying in any email; failures retried; concurrency-safe."""

import smtplib
import threading
from collections import defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.cases import services as case_services
from safeguarding.cases.models import CaseTeamMember
from safeguarding.deadlines import chasing, services
from safeguarding.deadlines.calendar import is_working_day
from safeguarding.deadlines.models import Reminder
from safeguarding.deadlines.rules import Kind
from safeguarding.outbox.models import OutboundEmail
from safeguarding.outbox.tasks import send_pending_emails

from ..conftest import need
from ..factories import CaseFactory, UserFactory

D = date


def working_days(start, end):
    day = start
    while day <= end:
        if is_working_day(day):
            yield day
        day += timedelta(days=1)


def run_every_working_day(start, end, twice=False):
    for day in working_days(start, end):
        with time_machine.travel(day, tick=False):
            chasing.chase(today=day)
            if twice:
                chasing.chase(today=day)


@pytest.fixture
def people(db):
    return {
        "pdeo": UserFactory(roles=[Role.PDEO], email="pdeo@x.example"),
        "chair": UserFactory(roles=[Role.PANEL_CHAIR], email="chair@x.example"),
        "bm": UserFactory(roles=[Role.BUSINESS_MANAGER], email="bm@x.example"),
        "reviewer": UserFactory(roles=[Role.LEAD_REVIEWER], email="reviewer@x.example"),
    }


def sent(deadline):
    result = defaultdict(set)
    for r in Reminder.objects.filter(deadline=deadline).select_related("recipient"):
        result[(r.day, r.rung)].add(r.recipient.email)
    return dict(result)


@pytest.mark.django_db
def test_notification_ladder_over_christmas(people):
    case = CaseFactory(user=people["pdeo"])
    with time_machine.travel(D(2026, 12, 21), tick=False):
        deadline = services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 12, 21)
        )
    assert deadline.due_date == D(2026, 12, 30)
    run_every_working_day(D(2026, 12, 21), D(2027, 1, 15), twice=True)
    pdeo, escalation = {"pdeo@x.example"}, {"chair@x.example", "bm@x.example"}
    assert sent(deadline) == {
        (D(2026, 12, 24), "before"): pdeo,  # 2 working days before, across Christmas
        (D(2026, 12, 30), "due"): pdeo,
        (D(2026, 12, 31), "overdue-1"): pdeo,
        (D(2027, 1, 5), "escalation"): escalation,  # 3 working days overdue (1 January off)
        (D(2027, 1, 8), "overdue-6"): pdeo,
        (D(2027, 1, 15), "overdue-11"): pdeo,
    }


@pytest.mark.django_db
def test_six_month_review_ladder_over_easter(people):
    case = CaseFactory(user=people["pdeo"])
    case_services.add_team_member(
        case=case,
        user=people["reviewer"],
        role=CaseTeamMember.Role.LEAD_REVIEWER,
        added_by=people["pdeo"],
    )
    with time_machine.travel(D(2026, 9, 30), tick=False):
        deadline = services.open_deadline(
            kind=Kind.LCSPR_PUBLISHED, obj=case, case=case, anchor_date=D(2026, 9, 30)
        )
    assert deadline.due_date == D(2027, 3, 30)
    run_every_working_day(D(2027, 3, 1), D(2027, 4, 9))
    reviewer, escalation = {"reviewer@x.example"}, {"chair@x.example", "bm@x.example"}
    assert sent(deadline) == {
        (D(2027, 3, 19), "before"): reviewer,  # 5 working days before, Easter in between
        (D(2027, 3, 30), "due"): reviewer,
        (D(2027, 3, 31), "overdue-1"): reviewer,
        (D(2027, 4, 6), "escalation"): escalation,
        (D(2027, 4, 7), "overdue-6"): reviewer,
    }


@pytest.mark.django_db
def test_national_panel_reply_is_only_flagged_late(people):
    case = CaseFactory(user=people["pdeo"])
    with time_machine.travel(D(2026, 11, 2), tick=False):
        deadline = services.open_deadline(
            kind=Kind.PANEL_REPLY, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    run_every_working_day(D(2026, 11, 2), D(2026, 12, 15))
    # Expected after 10 working days (16 Nov), flagged once past 20 (30 Nov), so on 1 December;
    # never chased before, and flagged the same day the page stops saying "Awaiting reply".
    assert sent(deadline) == {(D(2026, 12, 1), "escalation"): {"chair@x.example", "bm@x.example"}}
    from safeguarding.deadlines.calendar import WorkingCalendar
    from safeguarding.deadlines.selectors import DeadlineState, state_of

    deadline.refresh_from_db()
    assert state_of(deadline, D(2026, 11, 30), WorkingCalendar())[1] == DeadlineState.AWAITING
    assert state_of(deadline, D(2026, 12, 1), WorkingCalendar())[1] != DeadlineState.AWAITING


@pytest.mark.django_db
def test_a_met_deadline_is_not_chased(people):
    case = CaseFactory(user=people["pdeo"])
    with time_machine.travel(D(2026, 11, 2), tick=False):
        deadline = services.open_deadline(
            kind=Kind.TELL_PARTNERS, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
        services.record_event(kind=Kind.TELL_PARTNERS, obj=case, on=D(2026, 11, 2))
    run_every_working_day(D(2026, 11, 2), D(2026, 11, 30))
    assert sent(deadline) == {}


@pytest.mark.django_db
def test_one_digest_per_person_per_day_and_nothing_identifying(people):
    pdeo = people["pdeo"]
    cases = [CaseFactory(user=pdeo) for _ in range(3)]
    child = cases[0].children.get()
    child.name, child.date_of_birth = "Zebedee Uniquename", D(2019, 7, 23)
    child.save()
    with time_machine.travel(D(2026, 11, 16), tick=False):
        for case in cases:
            services.open_deadline(
                kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 16)
            )
    with time_machine.travel(D(2026, 11, 23), tick=False):
        result = chasing.chase(today=D(2026, 11, 23))  # all three due today
        send_pending_emails()
    assert result["reminders"] == 3
    to_pdeo = [m for m in mail.outbox if m.to == ["pdeo@x.example"]]
    assert len(to_pdeo) == 1
    message = to_pdeo[0]
    assert "3 deadlines need attention" in message.subject
    for case in cases:
        assert case.reference in message.body and case.pseudonym in message.body
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "Zebedee" not in text and "Uniquename" not in text
        assert "2019" not in text and "23 July" not in text and "23/07" not in text
    assert "OFFICIAL-SENSITIVE" in message.body
    assert "/cases/" in message.body


@pytest.mark.django_db
def test_no_email_ever_carries_a_child_name_or_birth_date(people):
    """Every email the chase writes, for every kind of clock and rung."""
    pdeo = people["pdeo"]
    names, births = [], []
    with time_machine.travel(D(2026, 10, 1), tick=False):
        for i, kind in enumerate(Kind.values):
            case = CaseFactory(user=pdeo)
            child = case.children.get()
            child.name = f"Secretchild{i} Surname{i}"
            child.date_of_birth = D(2015, 1, 1) + timedelta(days=37 * i)
            child.save()
            names.append(child.name.split()[0])
            births.append(child.date_of_birth)
            due = D(2026, 11, 2) if kind == Kind.ACTION_DUE else None  # set per action
            services.open_deadline(
                kind=kind, obj=case, case=case, anchor_date=D(2026, 10, 1), due_date=due
            )
    run_every_working_day(D(2026, 10, 1), D(2026, 12, 31))
    emails = list(OutboundEmail.objects.all())
    assert emails
    for email in emails:
        for text in (email.subject, email.body_text, email.body_html):
            for name in names:
                assert name not in text
            for born in births:
                assert born.isoformat() not in text
                assert f"{born:%-d %B %Y}" not in text


@pytest.mark.django_db
def test_immediate_preference_and_escalations_are_separate_emails(people):
    """An email per reminder, never a flood: the most pressing alone, the rest of the run in one
    digest; escalations apart."""
    pdeo = people["pdeo"]
    pdeo.reminder_preference = "immediate"
    pdeo.save()
    cases = [CaseFactory(user=pdeo) for _ in range(3)]
    with time_machine.travel(D(2026, 11, 2), tick=False):
        for case in cases:
            services.open_deadline(
                kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
            )  # due 9 November
    with time_machine.travel(D(2026, 11, 12), tick=False):
        chasing.chase(today=D(2026, 11, 12))  # 3 working days overdue: escalation too
    kinds = sorted(OutboundEmail.objects.filter(recipient=pdeo).values_list("kind", flat=True))
    assert kinds == ["digest", "immediate"]
    digest = OutboundEmail.objects.get(recipient=pdeo, kind="digest")
    assert digest.reminders.count() == 2
    assert OutboundEmail.objects.get(recipient=pdeo, kind="immediate").reminders.count() == 1
    chair_emails = OutboundEmail.objects.filter(recipient=people["chair"])
    assert [e.kind for e in chair_emails] == ["escalation"]
    assert "Escalation: 3 deadlines overdue" in chair_emails[0].subject


@pytest.mark.django_db
def test_conflicted_people_are_not_reminded(people):
    case = CaseFactory(user=people["pdeo"])
    case_services.declare_conflict(case=case, user=people["chair"], nature="Knows the family")
    with time_machine.travel(D(2026, 11, 2), tick=False):
        services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    chasing.chase(today=D(2026, 11, 12))
    assert not Reminder.objects.filter(recipient=people["chair"]).exists()
    assert Reminder.objects.filter(recipient=people["bm"], rung="escalation").exists()


@pytest.mark.django_db
def test_chasing_marks_passed_deadlines_missed(people):
    case = CaseFactory(user=people["pdeo"])
    with time_machine.travel(D(2026, 11, 2), tick=False):
        deadline = services.open_deadline(
            kind=Kind.TELL_PARTNERS, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    assert deadline.status == "open"
    result = chasing.chase(today=D(2026, 11, 10))
    deadline.refresh_from_db()
    assert result["missed"] == 1 and deadline.status == "missed"


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server went away")


@pytest.mark.django_db
def test_delivery_failures_are_recorded_and_retried(people, settings):
    case = CaseFactory(user=people["pdeo"])
    with time_machine.travel(D(2026, 11, 2), tick=False):
        services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    settings.EMAIL_BACKEND = "tests.deadlines.test_chasing.FailingBackend"
    with time_machine.travel("2026-11-09 07:00", tick=False):
        chasing.chase(today=D(2026, 11, 9))
        assert send_pending_emails() == 1
        email = OutboundEmail.objects.get()
        assert email.status == "pending" and email.attempts == 1
        assert "mail server went away" in email.last_error
        assert send_pending_emails() == 0  # not retried before its back-off
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel("2026-11-09 07:30", tick=False):
        assert send_pending_emails() == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 2 and email.last_error == ""
    assert len(mail.outbox) == 1
    assert send_pending_emails() == 0  # and never twice


@pytest.mark.django_db
def test_chase_now_counts_as_the_days_reminder(people):
    from safeguarding.accounts.models import Agency
    from safeguarding.contributions import services as contributions

    police = Agency.objects.create(name="Police", kind="police")
    contributor = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=police)
    UserFactory(roles=[Role.AGENCY_CONTRIBUTOR])  # another agency's: never told
    case = CaseFactory(user=people["pdeo"])
    with time_machine.travel(D(2026, 11, 2), tick=False):
        (request,) = contributions.send_requests(
            case=case, user=people["pdeo"], agencies=[police], questions="Your involvement"
        )
    deadline = services.deadline_for(kind=Kind.AGENCY_RESPONSE, obj=request)
    assert deadline.due_date == D(2026, 11, 12)  # 8 working days
    with time_machine.travel(D(2026, 11, 12), tick=False):
        first = chasing.chase_now(deadline=deadline, by_user=people["pdeo"])
        assert {r.recipient for r in first} == {contributor}
        assert chasing.chase_now(deadline=deadline, by_user=people["pdeo"]) == []
        chasing.chase(today=D(2026, 11, 12))
    rungs = set(Reminder.objects.filter(deadline=deadline).values_list("rung", flat=True))
    assert rungs == {"manual-2026-11-12"}  # the due-day reminder was not sent on top
    assert Reminder.objects.get(deadline=deadline).chased_by == people["pdeo"]
    with time_machine.travel(D(2026, 11, 13), tick=False):
        chasing.chase(today=D(2026, 11, 13))
    assert Reminder.objects.filter(
        deadline=deadline, rung="overdue-1", recipient=contributor
    ).exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing(people, capsys):
    case = CaseFactory(user=people["pdeo"])
    with time_machine.travel(D(2026, 11, 2), tick=False):
        services.open_deadline(
            kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    call_command("chase_deadlines", "--dry-run", "--date", "2026-11-09")
    out = capsys.readouterr().out
    assert "1 reminders" in out and "due" in out
    assert not Reminder.objects.exists() and not OutboundEmail.objects.exists()
    call_command("chase_deadlines", "--date", "2026-11-09")
    assert Reminder.objects.count() == 1
    call_command("chase_deadlines", "--date", "2026-11-09")
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_the_beat_task_skips_bank_holidays(people):
    from safeguarding.deadlines.tasks import chase_deadlines

    with time_machine.travel(D(2026, 12, 25), tick=False):
        assert chase_deadlines() == {"skipped": "2026-12-25"}


@pytest.mark.django_db(transaction=True)
def test_two_chases_at_once_send_each_reminder_once(people):
    need(connection.vendor == "postgresql", "concurrency is tested on PostgreSQL")
    pdeo = people["pdeo"]
    with time_machine.travel(D(2026, 11, 2), tick=False):
        for _ in range(20):
            case = CaseFactory(user=pdeo)
            services.open_deadline(
                kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
            )
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            chasing.chase(today=D(2026, 11, 12))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    # 20 deadlines: one overdue reminder each to the PDEO, one escalation each to two people.
    assert Reminder.objects.count() == 20 * 3
    assert OutboundEmail.objects.filter(recipient=pdeo).count() == 1
    assert OutboundEmail.objects.count() == 3


@pytest.mark.django_db
def test_a_long_backlog_is_one_email_that_points_to_whats_due(people):
    pdeo = people["pdeo"]
    with time_machine.travel(D(2026, 11, 2), tick=False):
        for _ in range(chasing.EMAIL_ITEM_LIMIT + 7):
            case = CaseFactory(user=pdeo, children=0)
            services.open_deadline(
                kind=Kind.TELL_PARTNERS, obj=case, case=case, anchor_date=D(2026, 11, 2)
            )
    chasing.chase(today=D(2026, 11, 9))
    email = OutboundEmail.objects.get(recipient=pdeo)
    assert f"These {chasing.EMAIL_ITEM_LIMIT + 7} deadlines" in email.body_text
    assert email.body_text.count("Tell the safeguarding partners") == chasing.EMAIL_ITEM_LIMIT
    assert "...and 7 more." in email.body_text
    assert "/due/" in email.body_text


@pytest.mark.django_db
def test_every_reminder_email_ends_with_both_links(people, settings):
    """The footer links are made once a run, not per email: each email, the run's and the one
    chased by hand, still carries both, in full, in text and HTML."""
    settings.SERVICE_URL = "https://reviews.example.gov.uk/"
    due, preferences = (
        "https://reviews.example.gov.uk" + reverse("whats_due"),
        "https://reviews.example.gov.uk" + reverse("accounts:preferences"),
    )
    with time_machine.travel(D(2026, 11, 2), tick=False):
        deadlines = []
        for user in (people["pdeo"], people["reviewer"]):
            case = CaseFactory(user=user, children=0)
            deadlines.append(
                services.open_deadline(
                    kind=Kind.TELL_PARTNERS, obj=case, case=case, anchor_date=D(2026, 11, 2)
                )
            )
    chasing.chase(today=D(2026, 11, 9))
    with time_machine.travel(D(2026, 11, 10), tick=False):
        assert chasing.chase_now(deadline=deadlines[0], by_user=people["pdeo"])
    emails = list(OutboundEmail.objects.all())
    assert {e.kind for e in emails} >= {OutboundEmail.Kind.MANUAL, OutboundEmail.Kind.DIGEST}
    assert len({e.recipient_id for e in emails}) >= 2
    for email in emails:
        for link in (due, preferences):
            assert link in email.body_text, (email.kind, link)
            assert f'href="{link}"' in email.body_html, (email.kind, link)


@pytest.mark.django_db
def test_preferences_page_and_home_list(people, client):
    from ..helpers import verified_client

    pdeo = people["pdeo"]
    verified_client(client, pdeo)
    response = client.post(reverse("accounts:preferences"), {"reminder_preference": "immediate"})
    assert response.status_code == 302
    pdeo.refresh_from_db()
    assert pdeo.reminder_preference == "immediate"
    response = client.post(reverse("accounts:preferences"), {"reminder_preference": "hourly"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()

    case = CaseFactory(user=pdeo)
    with time_machine.travel(D(2026, 11, 2), tick=False):
        services.open_deadline(
            kind=Kind.TELL_PARTNERS, obj=case, case=case, anchor_date=D(2026, 11, 2)
        )
    chasing.chase(today=D(2026, 11, 9))
    home = client.get("/").content.decode()
    assert "Reminders for you" in home
    assert f"{case.reference}: Tell the safeguarding partners" in home


@pytest.mark.django_db(transaction=True)
def test_a_chase_that_dies_half_way_leaves_nothing_and_the_rerun_sends_all(people, monkeypatch):
    """A worker killed mid-run: the run's transaction rolls back, the task (acknowledged late)
    runs again, and everything is sent once."""
    pdeo = people["pdeo"]
    with time_machine.travel(D(2026, 11, 2), tick=False):
        for _ in range(3):
            case = CaseFactory(user=pdeo)
            services.open_deadline(
                kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
            )

    def die(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(chasing, "_emails_for", die)
    with pytest.raises(SystemExit):
        chasing.chase(today=D(2026, 11, 9))
    assert not Reminder.objects.exists() and not OutboundEmail.objects.exists()
    monkeypatch.undo()
    result = chasing.chase(today=D(2026, 11, 9))
    assert result["reminders"] == 3 and result["emails"] == 1
    assert chasing.chase(today=D(2026, 11, 9))["reminders"] == 0


def test_each_reminder_is_recorded_with_the_email_that_carried_it(people):
    """Reminders are written once, already linked to their email: the PDEO's digest carries
    its reminders and the chair's escalation carries the chair's, each named in its body; a
    rung recorded by an earlier run is neither sent nor recorded again."""
    pdeo = people["pdeo"]
    pdeo.reminder_preference = "daily"
    pdeo.save(update_fields=["reminder_preference"])
    cases = []
    with time_machine.travel(D(2026, 11, 2), tick=False):
        for _ in range(3):
            case = CaseFactory(user=pdeo)
            services.open_deadline(
                kind=Kind.NOTIFY_NATIONAL_PANEL, obj=case, case=case, anchor_date=D(2026, 11, 2)
            )
            cases.append(case)
    first = chasing.chase(today=D(2026, 11, 9))
    reminders = list(Reminder.objects.select_related("email", "deadline__case"))
    assert len(reminders) == first["reminders"] > 0
    for reminder in reminders:
        assert reminder.email is not None
        assert reminder.email.recipient_id == reminder.recipient_id
        assert reminder.deadline.case.reference in reminder.email.body_text
    assert {r.email_id for r in reminders if r.recipient_id == pdeo.pk} != set()
    assert len({r.email_id for r in reminders if r.recipient_id == pdeo.pk}) == 1  # one digest
    # The next day the same rungs are not sent again; only a rung not yet reached would be.
    again = chasing.chase(today=D(2026, 11, 10))
    assert Reminder.objects.count() == len(reminders) + again["reminders"]
    for reminder in Reminder.objects.filter(day=D(2026, 11, 10)).select_related("email"):
        assert reminder.email.recipient_id == reminder.recipient_id
    assert Reminder.objects.filter(email__isnull=True).count() == 0
