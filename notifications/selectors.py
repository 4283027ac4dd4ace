from safeguarding.deadlines import selectors as deadline_selectors
from safeguarding.deadlines.models import Deadline

from .models import Notification, Referral
from .services import clocks_for


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
        kinds = list(clocks_for(case))
        clocks = deadline_selectors.rows(
            Deadline.objects.filter(case=case, object_id=notification.pk, kind__in=kinds).order_by(
                "due_date", "id"
            )
        )
    return {
        "referral": referral,
        "notification": notification,
        "clocks": clocks,
        "can_screen": user.has_perm("cases.screen_referral"),
        "can_record": user.has_perm("cases.run_cases"),
    }


def referral_history(case):
    return Referral.history.filter(case_id=case.id)


def notification_history(case):
    return Notification.history.filter(case_id=case.id)
