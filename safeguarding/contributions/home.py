"""What agencies and the case lead owe about requests ("Waiting for you"), and the agency's
own list of requests on its home page."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import RESPOND_TO_REQUEST, REVIEW_RESPONSE, RUN_CASES, Role
from safeguarding.cases.selectors import cases_led_by
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.selectors import due_state
from safeguarding.home import LIST_LIMIT, Item, Owed, Section
from safeguarding.paths import path_for

from . import selectors
from .models import InformationRequest

S = InformationRequest.Status

# What an item shows of a request: its answers and questions are long free text, read only
# where they are shown (on the home page they were most of each row's bytes).
_SHOWN = ("status", "due_date", "purpose", "case__reference", "case__pseudonym")


def _owed(requests, text):
    today, calendar = timezone.localdate(), current_calendar()
    items = []
    for r in requests:
        label, tag = due_state(r.due_date, today=today, calendar=calendar)
        items.append(
            Owed(
                text=text(r),
                href=path_for("requests:detail", r.pk),
                case=f"{r.case.reference} – {r.case.pseudonym}",
                due=r.due_date,
                status=label,
                status_class=tag,
                hint=r.get_purpose_display(),
            )
        )
    return items


# The agency contributor: the requests to their agency still waiting for its answer.


def requests_to_answer(user):
    if not (user.agency_id and user.has_perm(RESPOND_TO_REQUEST)):
        return None
    return selectors.open_requests_for_agency(user).only(*_SHOWN)


def answer_items(requests, user):
    return _owed(
        requests,
        lambda r: (
            "Amend and resubmit your agency's response"
            if r.status == S.RETURNED
            else "Answer the request for information"
        ),
    )


def requests_list_href(user):
    return reverse("requests:list")


# The case lead: responses to accept or return, and requests nobody at the agency can answer.


def _led_requests(user):
    if not (user.has_perm(REVIEW_RESPONSE) and user.has_perm(RUN_CASES)):
        return None
    return (
        InformationRequest.objects.filter(case__in=cases_led_by(user))
        .select_related("case", "agency")
        .only(*_SHOWN, "agency__name")
        .order_by("due_date", "id")
    )


def _nobody_can_answer():
    """Open or returned requests to an agency nobody can answer for; None when every agency
    has someone (the usual answer), so that no condition is asked at all."""
    # The agencies nobody can answer for, kept between pages, rather than every active
    # contributor read again in the query: 5 ms of PostgreSQL on the scale-1 benchmark
    # database (docs/performance.md, "Twenty-first round").
    unanswered = selectors.agencies_nobody_answers_for()
    if isinstance(unanswered, list) and not unanswered:
        return None
    return Q(status__in=[S.OPEN, S.RETURNED], agency_id__in=unanswered)


def requests_to_act_on(user):
    """What the case lead owes about requests, in one query whatever the data: responses to
    accept or return, and requests nobody at the agency can answer (the case lead gets the
    answer another way). Two sources, one of them a query of no rows when every agency has
    someone (kept so the page's queries did not depend on the data), cost every PDEO's home
    page about 1 ms for nothing (docs/performance.md, "Twenty-eighth round")."""
    led = _led_requests(user)
    if led is None:
        return None
    owed = Q(status=S.SUBMITTED)
    nobody = _nobody_can_answer()
    return led.filter(owed if nobody is None else owed | nobody)


def act_on_items(requests, user):
    return _owed(
        requests,
        lambda r: (
            f"Accept or return {r.agency.name}'s response"
            if r.status == S.SUBMITTED
            else f"Get an answer from {r.agency.name} another way: nobody there has an account"
        ),
    )


def agency_requests(user):
    """Every request to the person's agency and where it has got to (what they must still
    answer is in "Waiting for you")."""
    if not user.has_role(Role.AGENCY_CONTRIBUTOR):
        return None
    agency = user.agency.name if user.agency else "your agency"
    recent = (
        selectors.visible_requests(user)
        .filter(agency_id=user.agency_id)
        .select_related("case")
        .only("status", "due_date", "case__reference", "case__pseudonym")
        .order_by("-requested_on", "-id")[:LIST_LIMIT]
    )
    return Section(
        f"Information requests for {agency}",
        "The latest requests for your agency's information and where each has got to.",
        f"There are no information requests for {agency}.",
        [
            Item(
                f"{r.case.reference} ({r.case.pseudonym}): {r.get_status_display().lower()},"
                f" due {r.due_date:%-d %B %Y}",
                reverse("requests:detail", kwargs={"pk": r.pk}),
            )
            for r in recent
        ],
    )
