"""Requests to agencies and their answers. The workflow of a request:

open --submit--> submitted --accept--> accepted (read-only; D13 closed)
returned --submit--> submitted --return--> returned
open/returned/submitted --withdraw--> withdrawn (D13 cancelled)
open/returned/submitted --close--> closed (no longer needed: the rapid review was sent; the
    agency is told, and D13 is met or missed by a response already submitted, else cancelled)

A rapid review's open request can instead carry on into the local review: same request, same
clock, its purpose changed and the agency told.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding import workflow
from safeguarding.accounts.roles import RESPOND_TO_REQUEST, REVIEW_RESPONSE, Role
from safeguarding.cases.models import Case
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.rules import Kind, rule_for
from safeguarding.outbox import services as outbox
from safeguarding.outbox.models import OutboundEmail

from . import sheet_reader, tasks, uploading
from .models import ChronologyEntry, ChronologyUpload, Document, InformationRequest
from .selectors import answers_for
from .uploads import check_upload

S = InformationRequest.Status
U = ChronologyUpload.Status


def _has_answer(request, user):
    if not request.summary.strip():
        return "Write a summary of your agency's involvement before you submit"
    waiting = request.uploads.filter(status__in=ChronologyUpload.OPEN).first()
    if waiting is not None:
        return (
            f"The entries of your uploaded chronology ({waiting.original_name}) have not been "
            "added yet: add them or cancel the upload before you submit"
        )
    return None


TRANSITIONS = {
    "submit": workflow.Transition(
        "submit",
        (S.OPEN, S.RETURNED),
        S.SUBMITTED,
        RESPOND_TO_REQUEST,
        _has_answer,
    ),
    "accept": workflow.Transition("accept", (S.SUBMITTED,), S.ACCEPTED, REVIEW_RESPONSE),
    "return": workflow.Transition("return", (S.SUBMITTED,), S.RETURNED, REVIEW_RESPONSE),
    "withdraw": workflow.Transition(
        "withdraw",
        (S.OPEN, S.RETURNED, S.SUBMITTED),
        S.WITHDRAWN,
        REVIEW_RESPONSE,
    ),
    "close": workflow.Transition(
        "close", InformationRequest.OPEN_STATUSES, S.CLOSED, REVIEW_RESPONSE
    ),
}


def default_due_date(requested_on=None):
    """D13: the rapid review default, 8 working days from the request (configurable)."""
    requested_on = requested_on or timezone.localdate()
    return rule_for(Kind.AGENCY_RESPONSE).due_date(requested_on, current_calendar())


def contributors_of(agency):
    return get_user_model().objects.filter(
        agency=agency, groups__name=Role.AGENCY_CONTRIBUTOR, is_active=True
    )


def _tell_contributors(request, subject, template, **context):
    url = outbox.absolute_url(reverse("requests:detail", kwargs={"pk": request.pk}))
    for person in contributors_of(request.agency):
        outbox.queue_email(
            recipient=person,
            kind=OutboundEmail.Kind.NOTICE,
            subject=f"{request.case.reference}: {subject}",
            template=template,
            context={"request": request, "url": url, **context},
        )


@transaction.atomic
def send_requests(
    *,
    case,
    user,
    agencies,
    questions,
    due_date=None,
    purpose=None,
    period_from=None,
    period_to=None,
):
    """Ask each agency for its information: a request, its D13 clock, and an email to that
    agency's contributors (case reference and pseudonym only)."""
    if not user.has_perm(REVIEW_RESPONSE):
        raise PermissionDenied
    # A case at the local review asks for the review (same requests, same chronology).
    purpose = purpose or (
        InformationRequest.Purpose.LOCAL_REVIEW
        if case.stage == Case.Stage.LOCAL_REVIEW
        else InformationRequest.Purpose.RAPID_REVIEW
    )
    today = timezone.localdate()
    due_date = due_date or default_due_date(today)
    if due_date < today:
        raise ValidationError({"due_date": "The due date must be today or in the future"})
    made = []
    for agency in agencies:
        request = InformationRequest(
            case=case,
            agency=agency,
            purpose=purpose,
            questions=questions,
            period_from=period_from,
            period_to=period_to,
            requested_by=user,
            requested_on=today,
            due_date=due_date,
        )
        request.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as error:
            raise ValidationError(
                {
                    "agencies": f"{agency} has already been asked for its information for this "
                    f"{request.get_purpose_display().lower()}"
                }
            ) from error
        deadlines.open_deadline(
            kind=Kind.AGENCY_RESPONSE,
            obj=request,
            case=case,
            anchor_date=today,
            due_date=due_date,
        )
        _tell_contributors(request, "information request", "information_request")
        made.append(request)
    return made


def nobody_to_answer_message(agency_names):
    names = " and ".join(agency_names)
    return (
        f"Nobody at {names} has an account in the service, so nobody there was emailed. Send "
        "the request to them another way. You, the case lead, are reminded about it instead."
    )


def _check_agency(request, user):
    if not answers_for(user, request):
        raise PermissionDenied("Only the agency asked can answer")


def _check_editable(request):
    if not request.is_editable_by_agency:
        raise workflow.NotAllowed(
            f"This request can no longer be changed: it is {request.get_status_display().lower()}."
        )


def _locked(request):
    return InformationRequest.objects.select_for_update().get(pk=request.pk)


RESPONSE_FIELDS = [
    "involvement_from",
    "involvement_to",
    "nature_of_involvement",
    "summary",
    "went_well",
    "could_be_better",
    "immediate_actions",
]


@transaction.atomic
def save_response(*, request, user, expected_version, **fields):
    """Save the agency's answer as a draft (it is not seen as final until submitted)."""
    request = _locked(request)
    _check_agency(request, user)
    _check_editable(request)
    if int(expected_version) != request.version:
        raise workflow.ConcurrentEdit
    for name in RESPONSE_FIELDS:
        if name in fields:
            setattr(request, name, fields[name])
    request.nil_return = False  # a response written after all
    request.version += 1
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def add_entry(*, request, user, **fields):
    request = _locked(request)
    _check_agency(request, user)
    _check_editable(request)
    entry = ChronologyEntry(
        request=request, case_id=request.case_id, agency_id=request.agency_id, **fields
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def add_entries(*, request, user, entries):
    """Several chronology entries at once: all of them or, if one is refused, none."""
    request = _locked(request)
    _check_agency(request, user)
    _check_editable(request)
    made, errors = [], []
    for number, fields in enumerate(entries, start=1):
        entry = ChronologyEntry(
            request=request, case_id=request.case_id, agency_id=request.agency_id, **fields
        )
        try:
            entry.full_clean()
        except ValidationError as error:
            errors += [f"Entry {number}: {message}" for message in error.messages]
            continue
        made.append(entry)
    if errors:
        raise ValidationError(errors)
    for entry in made:
        entry.save()  # one by one: each keeps its own history record
    return made


@transaction.atomic
def update_entry(*, entry, user, **fields):
    request = _locked(entry.request)
    _check_agency(request, user)
    _check_editable(request)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def delete_entry(*, entry, user):
    request = _locked(entry.request)
    _check_agency(request, user)
    _check_editable(request)
    entry.delete()


@transaction.atomic
def add_document(*, request, user, upload, description=""):
    """Store an uploaded file under a random name, once its content has been checked."""
    request = _locked(request)
    _check_agency(request, user)
    _check_editable(request)
    content_type, sha256 = check_upload(upload)
    document = Document(
        request=request,
        case_id=request.case_id,
        agency_id=request.agency_id,
        original_name=(upload.name or "document")[:255],
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        description=description,
        uploaded_by=user,
    )
    document.file.save("upload", upload, save=False)
    document.save()
    return document


@transaction.atomic
def delete_document(*, document, user):
    request = _locked(document.request)
    _check_agency(request, user)
    _check_editable(request)
    document.file.delete(save=False)
    document.delete()


NIL_RETURN_SUMMARY = "No involvement with this child or family."


@transaction.atomic
def submit_nil_return(*, request, user, records_checked=""):
    """The agency has had no involvement with the child or family: said and submitted in one
    step. What it searched is kept with it. Refused while it has chronology entries or
    documents, which would say otherwise."""
    request = _locked(request)
    _check_agency(request, user)
    _check_editable(request)
    if request.entries.exists() or request.documents.exists():
        raise workflow.NotAllowed(
            "Your response has chronology entries or documents, so it is not a nil return. "
            "Remove them first, or submit them as your response."
        )
    request.nil_return = True
    for name in RESPONSE_FIELDS:
        setattr(request, name, None if name.startswith("involvement_") else "")
    request.summary = NIL_RETURN_SUMMARY
    if records_checked.strip():
        request.nature_of_involvement = f"Records checked: {records_checked.strip()}"
    request.submitted_by = user
    request.submitted_on = timezone.localdate()
    request.version += 1
    request._change_reason = "nil return"
    return workflow.apply(TRANSITIONS, "submit", request, user)


@transaction.atomic
def submit_response(*, request, user):
    request = _locked(request)
    _check_agency(request, user)
    request.submitted_by = user
    request.submitted_on = timezone.localdate()
    request.version += 1
    return workflow.apply(TRANSITIONS, "submit", request, user)


@transaction.atomic
def accept_response(*, request, user):
    """Accepted: read-only from now on, and D13 is closed (met if submitted in time)."""
    request = _locked(request)
    request.accepted_by = user
    request.accepted_on = timezone.localdate()
    request.version += 1
    workflow.apply(TRANSITIONS, "accept", request, user)
    deadlines.record_event(kind=Kind.AGENCY_RESPONSE, obj=request, on=request.submitted_on)
    return request


@transaction.atomic
def return_response(*, request, user, reason):
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the response is being returned"})
    request = _locked(request)
    request.return_reason = reason
    request.version += 1
    workflow.apply(TRANSITIONS, "return", request, user, reason=reason)
    _tell_contributors(request, "response returned for amendment", "response_returned")
    return request


@transaction.atomic
def withdraw_request(*, request, user, reason=""):
    request = _locked(request)
    request.version += 1
    workflow.apply(TRANSITIONS, "withdraw", request, user, reason=reason)
    deadlines.cancel_deadline(kind=Kind.AGENCY_RESPONSE, obj=request)
    _discard_open_uploads(request, user)
    return request


# --- Uploaded chronologies (see uploading.py for the work itself) ---------------------------


def may_download_template(user, request):
    """The chronology template is for the agency asked, and for the partnership team who
    may send it to them."""
    return answers_for(user, request) or user.has_perm(REVIEW_RESPONSE)


def _cancellable(upload, user):
    if upload.status == U.ADDING and not uploading.is_stalled(upload):
        return "The entries are being added now. Wait until it has finished."
    return None


UPLOAD_TRANSITIONS = {
    "add": workflow.Transition("add", (U.CHECKED,), U.ADDING, RESPOND_TO_REQUEST),
    "cancel": workflow.Transition(
        "cancel",
        (U.QUEUED, U.CHECKING, U.CHECKED, U.ADDING),
        U.CANCELLED,
        RESPOND_TO_REQUEST,
        _cancellable,
    ),
}


def _forget(upload):
    """Drop what an upload holds from the file: its entries waiting to be added, and the file
    itself if the worker has not checked it yet."""
    upload.pending.all().delete()
    if upload.pending_file:
        name, storage = upload.pending_file.name, upload.pending_file.storage
        upload.pending_file = ""
        transaction.on_commit(lambda: storage.delete(name))


def _discard_open_uploads(request, user):
    """Uploads not yet added are cancelled when another file is uploaded or the request is
    withdrawn; one being added by the worker refuses a new file until it has finished."""
    for upload in request.uploads.select_for_update().filter(status__in=ChronologyUpload.OPEN):
        if upload.status == U.ADDING and not uploading.is_stalled(upload):
            raise workflow.NotAllowed(
                "The entries of your previous upload are being added now. Wait until that "
                "has finished, then upload the file again."
            )
        _forget(upload)
        upload.status = U.CANCELLED
        upload.finished_at = timezone.now()
        upload._history_user = user
        upload.save()


@transaction.atomic
def upload_chronology(*, request, user, upload):
    """A spreadsheet of chronology entries for the response. A small file is checked at once
    (refused with every problem, by row and column, and nothing saved; or kept with its entries
    waiting to be added); a large one is kept until the worker has checked it. The file itself
    is never kept beyond that: only who uploaded it, when, its checksum and what it held."""
    request = _locked(request)
    _check_agency(request, user)
    _check_editable(request)
    record = ChronologyUpload(
        request=request,
        case_id=request.case_id,
        agency_id=request.agency_id,
        uploaded_by=user,
        original_name=(upload.name or "chronology")[:255],
        file_format=sheet_reader.file_format(upload),
        size=upload.size,
        sha256=uploading.sha256_of(upload),
    )
    if uploading.checked_at_once(record.file_format, upload.size):
        sheet = uploading.read(record, upload)  # SheetRefused: nothing is saved
        _discard_open_uploads(request, user)
        record.started_at = timezone.now()
        record.save()
        uploading.stage(record, sheet)
        return record
    _discard_open_uploads(request, user)
    record.pending_file.save("upload", upload, save=False)
    record.save()
    transaction.on_commit(lambda: tasks.check_chronology_upload.delay(record.pk))
    return record


@transaction.atomic
def add_uploaded_entries(*, upload, user):
    """The contributor has seen the entries: add them to the response, replacing those of the
    previous upload. Many entries are added by the worker, in one transaction."""
    request = _locked(upload.request)
    _check_agency(request, user)
    _check_editable(request)
    upload = ChronologyUpload.objects.select_for_update().get(pk=upload.pk)
    upload.request = request
    upload.added_by = user
    workflow.apply(UPLOAD_TRANSITIONS, "add", upload, user)
    replacing = uploading.previous_entries(request).count()
    if upload.row_count + replacing <= uploading.INLINE_ADD_MAX_ENTRIES:
        return uploading.add(upload, user)
    upload.started_at = timezone.now()
    upload.progress = 0
    upload.progress_note = ""
    upload.save()
    transaction.on_commit(lambda: tasks.add_chronology_upload.delay(upload.pk))
    return upload


@transaction.atomic
def cancel_upload(*, upload, user):
    """The contributor does not want this upload after all (or it has stopped)."""
    request = _locked(upload.request)
    _check_agency(request, user)
    upload = ChronologyUpload.objects.select_for_update().get(pk=upload.pk)
    upload.finished_at = timezone.now()
    workflow.apply(UPLOAD_TRANSITIONS, "cancel", upload, user)
    _forget(upload)
    upload.save()
    return upload


@transaction.atomic
def close_request(*, request, user, reason):
    """No longer needed (the rapid review it was for has been sent): the agency is told, and
    its clock closes: met or missed by a response it already submitted, otherwise cancelled."""
    request = _locked(request)
    request.version += 1
    workflow.apply(TRANSITIONS, "close", request, user, reason=reason)
    if request.submitted_on:
        deadlines.record_event(kind=Kind.AGENCY_RESPONSE, obj=request, on=request.submitted_on)
    else:
        deadlines.cancel_deadline(kind=Kind.AGENCY_RESPONSE, obj=request)
    _discard_open_uploads(request, user)  # as at withdrawal: nothing left waiting to be added
    _tell_contributors(request, "information request closed", "request_closed", reason=reason)
    return request


@transaction.atomic
def carry_into_local_review(*, request, user):
    """A rapid review's request the local review still needs: the same request and clock, now
    for the local review, and the agency told so nothing is silently left open."""
    if not user.has_perm(REVIEW_RESPONSE):
        raise PermissionDenied
    request = _locked(request)
    if request.status not in InformationRequest.OPEN_STATUSES:
        raise workflow.NotAllowed(
            f"The request to {request.agency} is {request.get_status_display().lower()}"
        )
    if request.purpose == InformationRequest.Purpose.LOCAL_REVIEW:
        return request
    clash = InformationRequest.objects.filter(
        case_id=request.case_id,
        agency_id=request.agency_id,
        purpose=InformationRequest.Purpose.LOCAL_REVIEW,
    )
    if clash.exists():
        raise ValidationError(
            f"{request.agency} already has a request for the local review: close this one"
        )
    request.purpose = InformationRequest.Purpose.LOCAL_REVIEW
    request.version += 1
    request._change_reason = "carried on into the local review"
    request.save()
    _tell_contributors(
        request, "information request carried on into the local review", "request_carried_on"
    )
    return request
