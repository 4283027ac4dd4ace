"""Referrals, screening and notifications. The D1–D5 clocks are opened, recomputed and closed
here (through the deadlines services), never by hand.

D5 (the rapid review, 15 working days) belongs to the notification: it starts with the decision
to notify (anchored on the awareness date) or, where DEADLINE_RULES anchors it on the
notification, when the notification is submitted. It does not wait for anyone to start the
rapid review, and it is cancelled when the notification says no rapid review follows (a care
leaver's death). The rapid review stage closes it when the review is sent (it may import this
app; this app never imports it)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.cases import services as case_services
from safeguarding.cases.models import Case, YesNoUnknown
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.rules import Kind, rapid_review_anchor
from safeguarding.workflow import ConcurrentEdit

from .models import Notification, Referral


class AlreadyScreened(Exception):
    pass


def clocks_for(case):
    """Which notification clocks apply to this case, and the date each waits for."""
    clocks = {
        Kind.NOTIFY_NATIONAL_PANEL: "submitted_on",
        Kind.TELL_PARTNERS: "partners_told_on",
    }
    if case.nature == Case.Nature.LAC_DEATH:
        clocks[Kind.NOTIFY_LAC_DEATH] = "ofsted_sos_notified_on"
    if case.nature == Case.Nature.CARE_LEAVER_DEATH:
        clocks[Kind.NOTIFY_CARE_LEAVER_DEATH] = "ofsted_sos_notified_on"
    return clocks


ALL_NOTIFICATION_CLOCKS = (
    Kind.NOTIFY_NATIONAL_PANEL,
    Kind.TELL_PARTNERS,
    Kind.NOTIFY_LAC_DEATH,
    Kind.NOTIFY_CARE_LEAVER_DEATH,
)


def rapid_review_anchor_date(notification):
    """D5's anchor: the awareness date (default) or the date the notification was submitted
    (None until it is)."""
    if rapid_review_anchor() == "notification_submitted":
        return notification.submitted_on
    return notification.la_aware_on


def needs_rapid_review(notification):
    return notification.rapid_review_follows != YesNoUnknown.NO


def _sync_clocks(notification):
    case = notification.case
    wanted = clocks_for(case)
    for kind in ALL_NOTIFICATION_CLOCKS:
        if kind in wanted:
            deadlines.open_deadline(
                kind=kind, obj=notification, case=case, anchor_date=notification.la_aware_on
            )
            # None re-opens a clock whose date was removed.
            deadlines.record_event(
                kind=kind, obj=notification, on=getattr(notification, wanted[kind])
            )
        else:
            deadlines.cancel_deadline(kind=kind, obj=notification)
    _sync_rapid_review_clock(notification)


def _sync_rapid_review_clock(notification):
    """D5: open (or recomputed from a corrected anchor) while a rapid review follows; cancelled
    when none does. Its event, the review being sent, is recorded by the rapid review stage, so
    nothing here touches whether it was met."""
    if not needs_rapid_review(notification):
        deadlines.cancel_deadline(kind=Kind.RAPID_REVIEW, obj=notification)
        return
    anchor = rapid_review_anchor_date(notification)
    if anchor is not None:
        deadlines.open_deadline(
            kind=Kind.RAPID_REVIEW, obj=notification, case=notification.case, anchor_date=anchor
        )


@transaction.atomic
def record_referral(
    *,
    user,
    referring_agency,
    referrer_name,
    received_on,
    what_happened,
    why_serious,
    nature,
    child_name,
    referrer_role="",
    referrer_email="",
    referrer_phone="",
    incident_date=None,
    child_date_of_birth=None,
    child_age_years=None,
):
    """A professional's referral: it opens a case (reference, pseudonym) with its first child."""
    case = case_services.create_case(
        user=user, nature=nature, outline=what_happened, incident_date=incident_date
    )
    case_services.add_child(
        case=case,
        name=child_name,
        date_of_birth=child_date_of_birth,
        age_years=child_age_years,
    )
    referral = Referral(
        case=case,
        referring_agency=referring_agency,
        referrer_name=referrer_name,
        referrer_role=referrer_role,
        referrer_email=referrer_email,
        referrer_phone=referrer_phone,
        received_on=received_on,
        what_happened=what_happened,
        why_serious=why_serious,
        recorded_by=user,
    )
    referral.full_clean()
    referral.save()
    case.agencies_involved.add(referring_agency)
    return referral


@transaction.atomic
def screen_referral(*, referral, user, decision, reason, not_accepted_reason="", la_aware_on=None):
    """The PDEO's or Chair's screening decision. Notifying opens the D1–D4 clocks, and D5 unless
    no rapid review follows (a care leaver's death) or D5 counts from the notification."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if referral.is_screened:
        raise AlreadyScreened
    errors = {}
    if decision == Referral.Decision.NOTIFY and la_aware_on is None:
        errors["la_aware_on"] = "Enter the date the local authority became aware"
    if decision == Referral.Decision.NOT_ACCEPTED and not not_accepted_reason:
        errors["not_accepted_reason"] = "Choose why the referral is not accepted"
    if not reason.strip():
        errors["reason"] = "Enter the reason for the decision"
    if errors:
        raise ValidationError(errors)
    case = referral.case
    referral.decision = decision
    referral.decision_reason = reason
    referral.not_accepted_reason = (
        not_accepted_reason if decision == Referral.Decision.NOT_ACCEPTED else ""
    )
    referral.decided_by = user
    referral.decided_on = timezone.localdate()
    referral.save()
    if decision == Referral.Decision.NOTIFY:
        notification = Notification(
            case=case,
            la_aware_on=la_aware_on,
            rapid_review_follows=(
                YesNoUnknown.NO
                if case.nature == Case.Nature.CARE_LEAVER_DEATH
                else YesNoUnknown.YES
            ),
        )
        notification.full_clean()
        notification.save()
        _sync_clocks(notification)
        case_services.set_stage(case=case, stage=Case.Stage.NOTIFICATION)
    elif decision == Referral.Decision.CONSIDER_REVIEW:
        case_services.set_stage(case=case, stage=Case.Stage.CONSIDERATION)
    else:
        case.status = Case.Status.CLOSED
        case.version += 1
        case.save(update_fields=["status", "version", "updated_at"])
    return referral


def late_clocks(notification, values):
    """The clocks an entry would close after their due date (each needs the reason)."""
    late = []
    for kind, field in clocks_for(notification.case).items():
        on = values.get(field)
        deadline = deadlines.deadline_for(kind=kind, obj=notification)
        if on and deadline and on > deadline.due_date:
            late.append(deadline)
    return late


@transaction.atomic
def record_notification(
    *,
    notification,
    user,
    expected_version,
    submitted_on,
    national_reference,
    notifier_name,
    notifier_contact="",
    partners_told_on=None,
    ofsted_sos_notified_on=None,
    late_reason="",
    rapid_review_follows=YesNoUnknown.YES,
):
    """Record what was sent and when. Closes D1–D4 as met or missed; a late one needs a reason."""
    current = Notification.objects.select_for_update().get(pk=notification.pk)
    if int(expected_version) != current.version:
        raise ConcurrentEdit
    notification = current
    values = {
        "submitted_on": submitted_on,
        "partners_told_on": partners_told_on,
        "ofsted_sos_notified_on": ofsted_sos_notified_on,
    }
    late = late_clocks(notification, values)
    if late and not late_reason.strip():
        first = late[0]
        raise ValidationError(
            {
                "late_reason": (
                    f"This is after the deadline ({first.get_kind_display().lower()} was due "
                    f"{first.due_date:%-d %B %Y}): give the reason it was late"
                )
            }
        )
    notification.submitted_on = submitted_on
    notification.national_reference = national_reference or None
    notification.notifier_name = notifier_name
    notification.notifier_contact = notifier_contact
    notification.partners_told_on = partners_told_on
    notification.ofsted_sos_notified_on = ofsted_sos_notified_on
    notification.late_reason = late_reason if late else notification.late_reason
    notification.rapid_review_follows = rapid_review_follows
    notification.recorded_by = user
    notification.version += 1
    notification.full_clean()
    notification.save()
    _sync_clocks(notification)
    return notification


@transaction.atomic
def correct_awareness_date(*, notification, user, expected_version, la_aware_on):
    """The anchor of D1–D5 was wrong: every clock is recomputed from the corrected date."""
    current = Notification.objects.select_for_update().get(pk=notification.pk)
    if int(expected_version) != current.version:
        raise ConcurrentEdit
    current.la_aware_on = la_aware_on
    current.version += 1
    current.full_clean()
    current._change_reason = "awareness date corrected"
    current.save()
    _sync_clocks(current)
    return current


@transaction.atomic
def recompute_all_clocks():
    """Every notification's clocks from its own dates and today's rules: after a partnership
    changes DEADLINE_RULES (D5's anchor, say), `manage.py recompute_clocks` runs this. Each
    clock records the rule that now produced it."""
    count = 0
    for notification in Notification.objects.select_related("case").order_by("pk"):
        _sync_clocks(notification)
        count += 1
    return count


def sync_notification_clocks(*, case, before=None, user=None):
    """When the case's details change (e.g. the nature is corrected to the death of a
    looked-after child), the clocks that apply change with them."""
    notification = Notification.objects.filter(case=case).first()
    if notification is not None and (before is None or before.nature != case.nature):
        _sync_clocks(notification)
