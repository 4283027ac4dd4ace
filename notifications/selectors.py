from django.http import Http404

from safeguarding.accounts.roles import RUN_CASES, SCREEN_REFERRAL
from safeguarding.cases.panels import NextStep
from safeguarding.deadlines import selectors as deadline_selectors
from safeguarding.history import history_of
from safeguarding.page_memo import for_this_page
from safeguarding.paths import path_for

from .models import Notification, Referral
from .services import clocks_for


def referral_of(case):
    referral = Referral.objects.filter(case=case).first()
    if referral is None:
        raise Http404("This case has no referral")
    return referral


def notification_of(case):
    notification = Notification.objects.filter(case=case).select_related("case").first()
    if notification is None:
        raise Http404("This case has not been screened for notification")
    return notification


def notification_on(case):
    """The case's notification, or None: read once a page, where the next steps of the
    notification and of the rapid review both ask for it."""
    return for_this_page(
        ("notification on", case.pk), lambda: Notification.objects.filter(case=case).first()
    )


def case_panel(request, case):
    """The notifications panel on the case page: the referral, its screening, the
    notification and its clocks. Three queries, whatever the case."""
    referral = (
        Referral.objects.filter(case=case)
        .select_related("referring_agency", "decided_by", "recorded_by")
        .first()
    )
    notification = Notification.objects.filter(case=case).select_related("recorded_by").first()
    if referral is None and notification is None:
        return None
    user = request.user
    clocks = []
    if notification is not None:
        clocks = deadline_selectors.clocks_of(notification, list(clocks_for(case)))
    return {
        "referral": referral,
        "notification": notification,
        "clocks": clocks,
        "can_screen": user.has_perm(SCREEN_REFERRAL),
        "can_record": user.has_perm(RUN_CASES),
    }


def next_steps(request, case):
    """What to do next in this stage: screen the referral, then record the notification."""
    user, steps = request.user, []
    referral = Referral.objects.filter(case=case).only("id", "decision").first()
    if referral is not None and not referral.is_screened and user.has_perm(SCREEN_REFERRAL):
        url = path_for("notifications:screening", case.reference)
        steps.append(NextStep("Record the screening decision", url))
    notification = notification_on(case)
    if notification is not None and notification.submitted_on is None and user.has_perm(RUN_CASES):
        url = path_for("notifications:record", case.reference)
        steps.append(NextStep("Record the notification", url))
    return steps


def notification_link(deadline):
    return path_for("notifications:record", deadline.case.reference)


def referral_history(case):
    return history_of(Referral).filter(case_id=case.id)


def notification_history(case):
    return history_of(Notification).filter(case_id=case.id)
