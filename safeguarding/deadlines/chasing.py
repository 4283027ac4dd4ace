"""The chase: each working morning, every deadline that needs a reminder gets exactly one per
rung of its ladder, and each person gets one email for the day.

Set-based: a fixed number of queries finds the deadlines, their owners and who has a conflict,
however many deadlines there are (inserts go in batches). A row lock makes two chases at once
run one after the other, and the unique constraint on Reminder is the last word: a chase that
runs twice, concurrently, or again after a crash sends nothing twice and misses nothing.
"""

import bisect
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from safeguarding.cases.models import Case, ConflictOfInterest
from safeguarding.cases.selectors import conflicted_on
from safeguarding.outbox import services as outbox
from safeguarding.outbox.models import OutboundEmail

from . import caseless, links, recipients
from .calendar import current_calendar
from .ladders import BEFORE, DUE, ESCALATION, MANUAL, OVERDUE, ladder_for
from .models import ChaseLock, Deadline, Reminder
from .rules import Kind
from .services import mark_missed

INSERT_BATCH = 10_000
STREAM_CHUNK = 5000
# Clocks whose recorded reminders are read a query at a time (a bound on the IN list).
RECORDED_CHUNK = 5000
# An email lists at most this many deadlines; the rest are on the What's due page.
EMAIL_ITEM_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Planned:
    deadline: Deadline
    recipient_id: int
    rung: str


class WorkingDayIndex:
    """Working days between two dates by bisection, so each deadline costs O(log n)."""

    def __init__(self, calendar, start, end):
        self.days = []
        day = start
        while day <= end:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def overdue(self, due, today):
        """Working days after `due` up to and including `today`."""
        return bisect.bisect_right(self.days, today) - bisect.bisect_right(self.days, due)


def _owner_rung(deadline, today, ladder, before_horizon, overdue_days):
    due = deadline.due_date
    if due < today and overdue_days >= 1:
        if ladder.overdue_every:
            step = ladder.overdue_every
            return f"{OVERDUE}-{1 + step * ((overdue_days - 1) // step)}"
        return DUE if ladder.on_due_day else None
    if due <= today:
        return DUE if ladder.on_due_day else None
    if ladder.before is not None and due <= before_horizon:
        return BEFORE
    return None


def plan(*, today, calendar=None):
    """What the chase would send today: a list of Planned, nothing written."""
    calendar = calendar or current_calendar()
    kinds = list(Kind.values)
    ladders = {kind: ladder_for(kind) for kind in kinds}
    horizons = {
        kind: calendar.add_working_days(today, ladder.before)
        for kind, ladder in ladders.items()
        if ladder.before is not None
    }
    horizon = max([today, *horizons.values()])
    unmet = Deadline.objects.filter(
        met_on__isnull=True,
        status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED],
        due_date__lte=horizon,
        kind__in=[k for k, ladder in ladders.items() if ladder.active],
    )
    earliest = unmet.aggregate(earliest=Min("due_date"))["earliest"]
    if earliest is None:
        return []
    index = WorkingDayIndex(calendar, earliest, today)

    # Streamed, keeping only the clocks that want a reminder today: at scale 100,000 open
    # clocks as model instances cost more memory than the chase may use (docs/performance.md).
    candidates = unmet.only(
        "id", "kind", "case_id", "content_type_id", "due_date", "object_id"
    ).iterator(chunk_size=STREAM_CHUNK)
    wanted = []  # (deadline, rung, audience)
    for deadline in candidates:
        ladder = ladders[deadline.kind]
        overdue_days = index.overdue(deadline.due_date, today) if deadline.due_date < today else 0
        rung = _owner_rung(deadline, today, ladder, horizons.get(deadline.kind), overdue_days)
        if rung:
            wanted.append((deadline, rung, "owners"))
        if ladder.escalate_after is not None and overdue_days >= ladder.escalate_after:
            wanted.append((deadline, ESCALATION, "escalation"))
    if not wanted:
        return []

    owner_map = recipients.owners([d for d, _, audience in wanted if audience == "owners"])
    escalate_to = recipients.escalation_recipients()
    # A clock without a case is escalated only to those its owner's rule lets see it (nobody,
    # when no owner registered): one query per person escalated to, and only when needed.
    escalated_caseless = [d.id for d, _, a in wanted if a == "escalation" and d.case_id is None]
    may_see = {}
    if escalated_caseless:
        for person in get_user_model().objects.filter(pk__in=escalate_to):
            may_see[person.pk] = set(
                Deadline.objects.visible_to(person)
                .filter(pk__in=escalated_caseless)
                .values_list("pk", flat=True)
            )
    conflicted = set(
        ConflictOfInterest.objects.filter(case_id__in=unmet.values("case_id")).values_list(
            "case_id", "user_id"
        )
    )
    # Anything already sent today (a PDEO's "chase now" counts as the day's reminder).
    sent_today = set(
        Reminder.objects.filter(day=today, deadline__in=unmet).values_list(
            "deadline_id", "recipient_id"
        )
    )
    planned = []
    for deadline, rung, audience in wanted:
        people = owner_map.get(deadline.id, set()) if audience == "owners" else escalate_to
        for user_id in sorted(people):
            if (deadline.case_id, user_id) in conflicted:
                continue  # a conflicted person hears nothing about the case
            if (
                audience == "escalation"
                and deadline.case_id is None
                and deadline.id not in may_see.get(user_id, ())
            ):
                continue
            if rung != ESCALATION and (deadline.id, user_id) in sent_today:
                continue
            planned.append(Planned(deadline, user_id, rung))
    return planned


def chase(*, today=None, dry_run=False):
    """Run the chase for `today`. Returns a summary; with dry_run, only what would be sent."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    if dry_run:
        planned = plan(today=today, calendar=calendar)
        return {"today": today, "planned": planned, "reminders": 0, "emails": 0, "missed": 0}
    run_id = uuid.uuid4()
    with transaction.atomic():
        ChaseLock.objects.get_or_create(name="chase")
        lock = ChaseLock.objects.select_for_update().get(name="chase")
        missed = mark_missed(today=today)
        planned = plan(today=today, calendar=calendar)
        # A rung is sent once ever (the unique constraint): what an earlier run, or the PDEO by
        # hand, recorded is left out before the emails are written, so each reminder is
        # inserted once, already linked to the email that carries it. (Inserting first and
        # linking after rewrote every new reminder: 1.3 s of 7 at scale 1.)
        new = _not_yet_recorded(planned)
        emails, batches = _emails_for(new, today, calendar)
        _record(emails, batches, today=today, run_id=run_id)
        lock.last_run_on = today
        lock.save(update_fields=["last_run_on"])
    return {
        "today": today,
        "planned": planned,
        "reminders": len(new),
        "emails": len(emails),
        "missed": missed,
    }


def _item(reminder, today, calendar, about=None, cases=None):
    """What an email says about one deadline: case reference and pseudonym only, never a
    child's name or date of birth; for a clock without a case, what its owner says it is
    about (`about`: {deadline_id: text}) and a link to where it is done. `cases` is
    {case_id: (reference, pseudonym, url)}; without it the deadline's case is read. Dates
    and links are made here, once per item, not in the templates (a chase writes 20,000)."""
    deadline = reminder.deadline
    due = deadline.due_date
    if due > today:
        left = calendar.working_days_between(today, due)
        when = f"due in {left} working day{'s' if left != 1 else ''}" if left else "due next"
    elif due == today:
        when = "due today"
    else:
        late = calendar.working_days_between(due, today)
        when = f"{late} working day{'s' if late != 1 else ''} overdue" if late else "overdue"
    if deadline.case_id is None:
        reference = (about or {}).get(deadline.id, caseless.UNDESCRIBED)
        pseudonym, url = "", outbox.absolute_url(links.href_for(deadline))
    elif cases is None:
        reference, pseudonym = deadline.case.reference, deadline.case.pseudonym
        url = _case_url(reference)
    else:
        reference, pseudonym, url = cases[deadline.case_id]
    return {
        "reference": reference,
        "pseudonym": pseudonym,
        "what": deadline.get_kind_display(),
        "due": f"{due:%-d %B %Y}",
        "when": when,
        "escalation": reminder.rung == ESCALATION,
        "url": url,
    }


def _case_url(reference):
    return outbox.absolute_url(reverse("cases:detail", kwargs={"reference": reference}))


def _footer_links():
    """The two links every reminder ends with, made once a run (a chase writes thousands)."""
    return {
        "due_url": outbox.absolute_url(reverse("whats_due")),
        "preferences_url": outbox.absolute_url(reverse("accounts:preferences")),
    }


def _render(recipient, items, kind, total=None, footer=None):
    """Subject, text and HTML of one email listing `items` (of `total` deadlines); `footer` is
    `_footer_links()`, made here when not given."""
    total = total or len(items)
    context = {
        "recipient": recipient,
        "items": items,
        "count": total,
        "more": total - len(items),
        "kind": kind,
        **(footer or _footer_links()),
    }
    count = total
    if kind == OutboundEmail.Kind.ESCALATION:
        subject = f"Escalation: {count} deadline{'s' if count != 1 else ''} overdue"
    elif count == 1:
        item = items[0]
        subject = f"{item['reference']}: {item['what']} – {item['when']}"
    else:
        subject = f"{count} deadlines need attention"
    return (subject, *outbox.render("reminders", context))


def _emails_for(reminders, today, calendar):
    """One email a person for the day (plus escalations), from `reminders` (Planned rows):
    the emails written, and beside each the reminders it carries."""
    about = caseless.describe(
        list({r.deadline.id: r.deadline for r in reminders if r.deadline.case_id is None}.values())
    )
    by_person = defaultdict(lambda: {"ordinary": [], "escalation": []})
    for reminder in reminders:
        key = "escalation" if reminder.rung == ESCALATION else "ordinary"
        by_person[reminder.recipient_id][key].append(reminder)
    people = get_user_model().objects.in_bulk(list(by_person))
    plans = []  # (person, kind, batch)
    for person_id, groups in by_person.items():
        person = people[person_id]
        batches = []
        if groups["escalation"]:
            batches.append((OutboundEmail.Kind.ESCALATION, groups["escalation"]))
        ordinary = sorted(groups["ordinary"], key=lambda r: (r.deadline.due_date, r.deadline.id))
        if ordinary and person.reminder_preference == get_user_model().ReminderPreference.IMMEDIATE:
            # An email per reminder, but never a flood: the most pressing on its own, and the
            # rest of the run folded into one digest (so at most one single reminder a run).
            batches.append((OutboundEmail.Kind.IMMEDIATE, ordinary[:1]))
            if ordinary[1:]:
                batches.append((OutboundEmail.Kind.DIGEST, ordinary[1:]))
        elif ordinary:
            batches.append((OutboundEmail.Kind.DIGEST, ordinary))
        plans.extend((person, kind, batch) for kind, batch in batches)
    # Only the items shown are worked out (the count covers the rest), so only their cases'
    # references and pseudonyms are read: one query.
    shown_cases = {
        r.deadline.case_id for _, _, batch in plans for r in batch[:EMAIL_ITEM_LIMIT]
    } - {None}
    cases = {
        pk: (reference, pseudonym, _case_url(reference))
        for pk, reference, pseudonym in Case.objects.filter(pk__in=shown_cases).values_list(
            "pk", "reference", "pseudonym"
        )
    }
    # One item a deadline (and its escalation), the same object in each email that lists it,
    # so that what it says is worked out and written once (`{% reminder_items %}`).
    items_by_key = {}

    def item_for(reminder):
        key = (reminder.deadline.id, reminder.rung == ESCALATION)
        if key not in items_by_key:
            items_by_key[key] = _item(reminder, today, calendar, about, cases)
        return items_by_key[key]

    footer = _footer_links()
    emails, links = [], []
    for person, kind, batch in plans:
        items = [item_for(r) for r in batch[:EMAIL_ITEM_LIMIT]]
        subject, text, html = _render(person, items, kind, len(batch), footer)
        emails.append(
            outbox.new_email(
                recipient=person,
                kind=kind,
                day=today,
                subject=subject,
                body_text=text,
                body_html=html,
            )
        )
        links.append(batch)
    return outbox.queue_all(emails), links


def _not_yet_recorded(planned):
    """`planned` without the rungs already recorded: a query per RECORDED_CHUNK clocks, reading
    only their reminders (through the unique constraint's index)."""
    if not planned:
        return []
    deadline_ids = sorted({p.deadline.id for p in planned})
    recorded = set()
    for start in range(0, len(deadline_ids), RECORDED_CHUNK):
        recorded.update(
            Reminder.objects.filter(
                deadline_id__in=deadline_ids[start : start + RECORDED_CHUNK]
            ).values_list("deadline_id", "recipient_id", "rung")
        )
    return [p for p in planned if (p.deadline.id, p.recipient_id, p.rung) not in recorded]


def _record(emails, batches, *, today, run_id):
    """Insert this run's reminders, each with the email that carries it. On PostgreSQL one
    INSERT from arrays per INSERT_BATCH (model instances and Django's bulk insert were most
    of the chase's Python time); elsewhere bulk_create. Conflicts (a rung recorded since it
    was read, which the chase lock leaves only to a PDEO chasing by hand) are skipped."""
    rows = [
        (p.deadline.id, p.recipient_id, p.rung, email.pk)
        for email, batch in zip(emails, batches, strict=True)
        for p in batch
    ]
    if connection.vendor != "postgresql":
        for start in range(0, len(rows), INSERT_BATCH):
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        deadline_id=deadline_id,
                        recipient_id=recipient_id,
                        rung=rung,
                        day=today,
                        run_id=run_id,
                        email_id=email_id,
                    )
                    for deadline_id, recipient_id, rung, email_id in rows[
                        start : start + INSERT_BATCH
                    ]
                ],
                ignore_conflicts=True,
            )
        return
    table = connection.ops.quote_name(Reminder._meta.db_table)
    now = timezone.now()
    # The arrays go as PostgreSQL's own array text, written by str.join: psycopg quoting a
    # list of 10,000 numbers element by element was a third of the insert's time. The rungs
    # (a few distinct names) go as a short list, each row carrying its place in it.
    rung_names = sorted({row[2] for row in rows})
    rung_place = {name: place for place, name in enumerate(rung_names, start=1)}

    def numbers(values):
        return "{" + ",".join(map(str, values)) + "}"

    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            chunk = rows[start : start + INSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {table} "
                "(deadline_id, recipient_id, rung, email_id, day, run_id, created_at) "
                "SELECT v.deadline_id, v.recipient_id, (%s::text[])[v.rung], v.email_id, "
                "%s, %s, %s "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::int[], %s::bigint[]) "
                "AS v(deadline_id, recipient_id, rung, email_id) ON CONFLICT DO NOTHING",
                [
                    rung_names,
                    today,
                    run_id,
                    now,
                    numbers(row[0] for row in chunk),
                    numbers(row[1] for row in chunk),
                    numbers(rung_place[row[2]] for row in chunk),
                    numbers(row[3] for row in chunk),
                ],
            )


@transaction.atomic
def chase_now(*, deadline, by_user, today=None):
    """The PDEO chases one deadline by hand: its owners are emailed at once. Recorded, and it
    counts as that day's reminder (the morning chase will not send another)."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    owner_ids = recipients.owners([deadline]).get(deadline.id, set())
    conflicted = conflicted_on(deadline.case_id)
    run_id = uuid.uuid4()
    Reminder.objects.bulk_create(
        [
            Reminder(
                deadline=deadline,
                recipient_id=uid,
                rung=f"{MANUAL}-{today.isoformat()}",
                day=today,
                run_id=run_id,
                chased_by=by_user,
            )
            for uid in sorted(owner_ids - conflicted)
        ],
        ignore_conflicts=True,
    )
    new = list(
        Reminder.objects.filter(deadline=deadline, run_id=run_id).select_related(
            "deadline__case", "recipient"
        )
    )
    about = caseless.describe([deadline]) if deadline.case_id is None else {}
    for reminder in new:
        items = [_item(reminder, today, calendar, about)]
        subject, text, html = _render(reminder.recipient, items, OutboundEmail.Kind.MANUAL)
        (email,) = outbox.queue_all(
            [
                outbox.new_email(
                    recipient=reminder.recipient,
                    kind=OutboundEmail.Kind.MANUAL,
                    day=today,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                )
            ]
        )
        Reminder.objects.filter(pk=reminder.pk).update(email=email)
    return new


def summary(result):
    """A chase's result as the beat task reports it (dates as text, no planned list)."""
    return {k: (str(v) if k == "today" else v) for k, v in result.items() if k != "planned"}
