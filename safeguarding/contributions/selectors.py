from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef
from django.http import Http404

from safeguarding import kept
from safeguarding.accounts.models import Agency, IdentifierPolicy
from safeguarding.accounts.roles import RESPOND_TO_REQUEST, REVIEW_RESPONSE, Role
from safeguarding.cases.panels import NextStep
from safeguarding.deadlines import recipients
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.history import history_of
from safeguarding.paths import path_for

from . import uploading
from .models import ChronologyEntry, ChronologyUpload, Document, InformationRequest


def visible_requests(user):
    return InformationRequest.objects.visible_to(user)


def request_list(user):
    """The request list: only the columns it shows (a request carries the whole response)."""
    return (
        visible_requests(user)
        .select_related("case", "agency")
        .only(
            "status",
            "due_date",
            "nil_return",
            "case__reference",
            "case__pseudonym",
            "agency__name",
        )
        .order_by("status", "due_date", "id")
    )


def request_count(user):
    """How many requests `request_list` has, counted the cheap way (RequestQuerySet)."""
    return InformationRequest.objects.count_visible_to(user)


def request_for(user, pk):
    request = visible_requests(user).select_related("case", "agency").filter(pk=pk).first()
    if request is None:
        raise Http404("No such request")
    return request


def can_review(user, request):
    """The partnership team reviews responses; an agency never reviews its own."""
    return user.has_perm(REVIEW_RESPONSE)


def entry_for(user, request, pk):
    entry = ChronologyEntry.objects.filter(request=request, pk=pk).first()
    if entry is None:
        raise Http404("No such entry")
    return entry


def entries_of(request):
    return list(request.entries.all())


def documents_of(request):
    return list(request.documents.all())


def agencies_asked(case):
    """The agencies asked for information on the case (the chronology's filter)."""
    return Agency.objects.filter(pk__in=case.information_requests.values("agency"))


def document_of_request(user, request, pk):
    """A document of this request, through the request gate (anything else is a 404)."""
    document = document_for(user, pk)
    if document.request_id != request.pk:
        raise Http404("No such document")
    return document


def document_for(user, pk):
    """A document through the request gate: another agency's file is a 404."""
    document = (
        Document.objects.filter(request__in=visible_requests(user), pk=pk)
        .select_related("request", "case", "agency")
        .first()
    )
    if document is None:
        raise Http404("No such document")
    return document


def active_contributors():
    return get_user_model().objects.filter(groups__name=Role.AGENCY_CONTRIBUTOR, is_active=True)


def agencies_without_contributors(agency_ids):
    """Which of these agencies nobody can answer for: no active contributor account. One
    query."""
    ids = set(agency_ids)
    answering = set(
        active_contributors().filter(agency_id__in=ids).values_list("agency_id", flat=True)
    )
    return ids - answering


# Which agencies nobody can answer for changes only when an account is made, switched on or
# off, moved to another agency or given or relieved of the contributor's role, or an agency
# is added; every PDEO's home page asks (`home.requests_to_act_on`), and answering in
# each query read every active contributor (docs/performance.md, "Twenty-first round"). So
# the ids are kept in the cache (`kept.kept_ids`), forgotten as soon as any of those changes
# is saved and again when it commits (contributions.receivers), and never kept longer than
# this. Few agencies have nobody; above AS_LIST they stay a subquery.
NOBODY_ANSWERS_KEY = "agencies-nobody-answers-for"
NOBODY_ANSWERS_SECONDS = 30
NOBODY_ANSWERS_AS_LIST = 500


def agencies_nobody_answers_for():
    """The agencies with no active contributor account: their ids (kept, above), or a
    subquery when there are many."""

    def unanswered():
        answering = active_contributors().filter(agency_id__isnull=False).values("agency_id")
        return Agency.objects.exclude(pk__in=answering).order_by("pk").values_list("pk", flat=True)

    return kept.kept_ids(
        NOBODY_ANSWERS_KEY,
        unanswered,
        seconds=NOBODY_ANSWERS_SECONDS,
        as_list_up_to=NOBODY_ANSWERS_AS_LIST,
    )


def forget_agencies_nobody_answers_for():
    """After a change to who can answer for which agency (contributions.receivers)."""
    kept.forget(NOBODY_ANSWERS_KEY)


def request_link(deadline):
    return path_for("requests:detail", deadline.object_id)


def request_contributors(deadlines):
    """D13 reminders go to the contributors of the agency asked (one query for the batch). An
    agency nobody there has an account for would hear nothing: the case lead is chased
    instead, so the request does not sit unanswered unnoticed. A response submitted and not
    yet accepted waits on the case lead too: the agency has done its part."""
    ids = {d.object_id for d in deadlines}
    agency_of, submitted = {}, set()
    for pk, agency_id, status in InformationRequest.objects.filter(pk__in=ids).values_list(
        "pk", "agency_id", "status"
    ):
        agency_of[pk] = agency_id
        if status == InformationRequest.Status.SUBMITTED:
            submitted.add(pk)
    people = defaultdict(set)
    for user_id, agency_id in (
        active_contributors()
        .filter(agency_id__in=set(agency_of.values()))
        .values_list("id", "agency_id")
    ):
        people[agency_id].add(user_id)
    owners = {
        d.id: set() if d.object_id in submitted else people[agency_of.get(d.object_id)]
        for d in deadlines
    }
    unanswered = [d for d in deadlines if not owners[d.id]]
    if unanswered:
        owners.update(recipients.case_lead(unanswered))
    return owners


def request_agencies(deadlines):
    """D13 waits on the agency asked: its name, and a word when nobody there can answer (the
    case lead is chased instead). A submitted response waits on the case lead, to accept or
    return it, named with the other clocks' teams (`recipients.FromTeam`). One query for any
    batch, an empty one included (`recipients.waits_on`)."""
    has_contributor = Exists(active_contributors().filter(agency_id=OuterRef("agency_id")))
    found = {
        pk: (name, answerable, status)
        for pk, name, answerable, status in InformationRequest.objects.filter(
            pk__in=recipients.object_ids(deadlines)
        )
        .annotate(answerable=has_contributor)
        .values_list("pk", "agency__name", "answerable", "status")
    }
    labels = {}
    for d in deadlines:
        name, answerable, status = found.get(d.object_id, ("The agency asked", True, ""))
        if status == InformationRequest.Status.SUBMITTED:
            # Named in `waits_on`'s one query of the case teams.
            labels[d.id] = recipients.FromTeam(
                recipients.CASE_LEAD_ROLES, "{}, to accept or return the response"
            )
        else:
            labels[d.id] = name if answerable else f"{name} (nobody there has an account)"
    return labels


def request_history(case):
    return history_of(InformationRequest).filter(case_id=case.id)


def integrated_chronology(case, *, agency=None, date_from=None, date_to=None):
    """Every accepted entry of every agency on the case, in date order."""
    # The case's accepted requests as a set (a dozen, by the case's index): joined on status
    # alone, PostgreSQL hashed every accepted request of the partnership (117,000 at the
    # benchmark's scale 1) to count one case's entries: 35 ms against 2.
    accepted = InformationRequest.objects.filter(
        case=case, status=InformationRequest.Status.ACCEPTED
    ).values("id")
    entries = ChronologyEntry.objects.filter(case=case, request__in=accepted).select_related(
        "agency"
    )
    if agency is not None:
        entries = entries.filter(agency=agency)
    if date_from:
        entries = entries.filter(date__gte=date_from)
    if date_to:
        entries = entries.filter(date__lte=date_to)
    return entries.order_by("date", "time", "agency__name", "id")


# What the chronology page shows of an entry. A page is up to 500 entries: read as rows of
# these alone, not as entries with their agencies, the page's read took 5.7 ms rather than 7.8
# on the benchmark's busiest case (docs/performance.md, "Thirteenth round").
SHOWN = ("date", "time", "agency_name", "who", "what_happened", "significance")


def shown(entries):
    """The entries (`integrated_chronology`) as rows of what the page shows, in their order."""
    return (
        entries.select_related(None)
        .annotate(agency_name=F("agency__name"))
        .values_list(*SHOWN, named=True)
    )


def by_day(entries):
    """[(date, [entries...])]: entries from different agencies on one day side by side."""
    return [(day, list(group)) for day, group in groupby(entries, key=lambda e: e.date)]


def minimum_case_summary(request):
    """What an agency contributor is told about the case: no more than they need to answer."""
    case = request.case
    return {
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "nature": case.get_nature_display(),
        "incident_date": case.incident_date,
    }


@dataclass(frozen=True)
class Identifiers:
    """Who a request is about, as the agency asked may see them to find its own records."""

    shown: list  # the kinds of detail shown, in words
    children: list  # [{"pseudonym", "name", "date_of_birth", "address"?, "nhs_number"?}]
    household: list  # [{"name", "relationship"}] where the agency's kind searches on them


def identifiers_for(user, request):
    """The child's identifying details for a contributor answering this request, while it is
    open, as their kind of agency is set to see them (accounts.IdentifierPolicy); None for
    anyone else or once the answer is in. The caller logs the read."""
    if not (answers_for(user, request) and request.is_editable_by_agency):
        return None
    policy = IdentifierPolicy.for_kind(request.agency.kind)
    children = []
    for child in request.case.children.all():
        shown = {
            "pseudonym": child.pseudonym,
            "name": child.name,
            "date_of_birth": child.date_of_birth,
            "age": child.age_years,
        }
        if policy.address:
            shown["address"] = child.address
        if policy.nhs_number:
            shown["nhs_number"] = child.nhs_number
        children.append(shown)
    household = (
        [{"name": m.name, "relationship": m.relationship} for m in request.case.household.all()]
        if policy.household
        else []
    )
    return Identifiers(policy.shown(), children, household)


def answers_for(user, request):
    """The person answers for the agency this request was sent to."""
    return user.has_perm(RESPOND_TO_REQUEST) and user.agency_id == request.agency_id


def case_panel(request, case):
    """Information requests on the case page: one query."""
    requests = list(
        InformationRequest.objects.filter(case=case)
        .select_related("agency")
        .order_by("agency__name")
    )
    can_send = request.user.has_perm(REVIEW_RESPONSE)
    if not requests and not can_send:
        return None
    return {"requests": requests, "can_send": can_send}


def next_steps(request, case):
    """Responses submitted and waiting for the partnership team to accept or return."""
    if not request.user.has_perm(REVIEW_RESPONSE):
        return []
    return [
        NextStep(
            f"Accept or return {r.agency.name}'s response",
            path_for("requests:detail", r.pk),
        )
        for r in InformationRequest.objects.filter(
            case=case, status=InformationRequest.Status.SUBMITTED
        ).select_related("agency")
    ]


def open_deadline_of(request):
    """The request's D13 clock while the agency still owes an answer, else None."""
    if not request.is_editable_by_agency:
        return None
    return (
        Deadline.objects.filter(
            kind=Kind.AGENCY_RESPONSE, object_id=request.pk, met_on__isnull=True
        )
        .exclude(status=Deadline.Status.CANCELLED)
        .first()
    )


def open_requests_for_agency(user):
    """The requests the person's agency still owes an answer to, soonest first."""
    return (
        visible_requests(user)
        .filter(
            agency_id=user.agency_id,
            status__in=[InformationRequest.Status.OPEN, InformationRequest.Status.RETURNED],
        )
        .select_related("case")
        .order_by("due_date", "id")
    )


def upload_for(request, pk):
    """An upload of this request (the request has come through its gate); anything else is a
    404."""
    upload = (
        ChronologyUpload.objects.filter(request=request, pk=pk)
        .select_related("uploaded_by", "added_by", "case", "agency")
        .first()
    )
    if upload is None:
        raise Http404("No such upload")
    return upload


def upload_summary(request):
    """For the request's pages: the upload still open (being checked, to check, being added),
    and the one whose entries are in the response. Two queries."""
    uploads = ChronologyUpload.objects.filter(request=request).select_related("uploaded_by")
    return {
        "open": uploads.filter(status__in=ChronologyUpload.OPEN).first(),
        "added": uploads.filter(status=ChronologyUpload.Status.ADDED).first(),
    }


def upload_stalled(upload):
    return uploading.is_stalled(upload)


def pending_entries(upload):
    return upload.pending.order_by("row")


def replaced_by_adding(upload):
    """How many entries of the request's last upload adding this one would replace, and that
    upload."""
    previous = (
        ChronologyUpload.objects.filter(
            request_id=upload.request_id, status=ChronologyUpload.Status.ADDED
        )
        .exclude(pk=upload.pk)
        .first()
    )
    if previous is None:
        return None
    return {"upload": previous, "count": previous.entries.count()}
