"""Every change to an action: set it (with its D15 clock), update its progress and RAG status
with evidence, propose its closure with evidence of impact, accept or return that, or carry
it into other work. One transaction each; history by simple_history (the acting user), every
status change in the audit (workflow), the clock kept in step."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding import workflow
from safeguarding.accounts.roles import DECIDE_CLOSURE, SET_ACTIONS, UPDATE_ACTION
from safeguarding.contributions.uploads import check_upload
from safeguarding.deadlines import services as deadlines
from safeguarding.deadlines.rules import Kind
from safeguarding.workflow import ConcurrentEdit, Transition

from .models import Action, ActionUpdate

S = Action.Status

TRANSITIONS = {
    "propose_closure": Transition("propose_closure", (S.OPEN,), S.CLOSURE_PROPOSED, UPDATE_ACTION),
    "accept_closure": Transition("accept_closure", (S.CLOSURE_PROPOSED,), S.CLOSED, DECIDE_CLOSURE),
    "return_closure": Transition("return_closure", (S.CLOSURE_PROPOSED,), S.OPEN, DECIDE_CLOSURE),
    "carry": Transition("carry", (S.OPEN, S.CLOSURE_PROPOSED), S.CARRIED, DECIDE_CLOSURE),
}

DUE_BEFORE_SET = "The due date must be on or after the day the action was set ({:%-d %B %Y})"
NEEDS_EVIDENCE = "Enter the evidence of impact: an action is closed only on evidence"
OWNER_NOT_OF_AGENCY = "The owner must be someone in the owner agency"
OTHER_AGENCY = "Only the owner agency's people can update this action"


# What a stage does when one of its actions is finished (closed on evidence, or carried into
# other work): `hook(action=, user=)`, inside the same transaction. A local review closes its
# case when the last action of its plan finishes; the core never imports it.
FINISHED_HOOKS = []


def on_finished(hook):
    if hook not in FINISHED_HOOKS:
        FINISHED_HOOKS.append(hook)
    return hook


def _finished(action, user):
    for hook in FINISHED_HOOKS:
        hook(action=action, user=user)


def _check_dates(set_on, due_date):
    if due_date < set_on:
        raise ValidationError({"due_date": DUE_BEFORE_SET.format(set_on)})


def _check_owner(owner, owner_agency):
    if owner is not None and owner.agency_id != owner_agency.pk:
        raise ValidationError({"owner": OWNER_NOT_OF_AGENCY})


def _open_clock(action):
    deadlines.open_deadline(
        kind=Kind.ACTION_DUE,
        obj=action,
        case=action.case,
        anchor_date=action.set_on,
        due_date=action.due_date,
    )


@transaction.atomic
def set_action(
    *,
    user,
    description,
    owner_agency,
    due_date,
    measure_of_success,
    case=None,
    owner=None,
    source=Action.Source.OTHER,
    source_object=None,
    source_label="",
    set_on=None,
    rag=Action.Rag.GREEN,
):
    """Set an action and start its D15 clock. A stage app passes its own record as
    `source_object` (a recommendation, an action log entry) and says what it is in
    `source_label`; the core never imports it. A due date before the day the action is set is
    refused."""
    if not user.has_perm(SET_ACTIONS):
        raise PermissionDenied(SET_ACTIONS)
    set_on = set_on or timezone.localdate()
    _check_dates(set_on, due_date)
    _check_owner(owner, owner_agency)
    if not (description or "").strip():
        raise ValidationError({"description": "Enter what the action is"})
    if not (measure_of_success or "").strip():
        raise ValidationError({"measure_of_success": "Enter how success will be measured"})
    action = Action(
        case=case,
        source=source,
        source_label=source_label,
        description=description.strip(),
        owner_agency=owner_agency,
        owner=owner,
        set_on=set_on,
        due_date=due_date,
        measure_of_success=measure_of_success.strip(),
        rag=rag,
        created_by=user,
    )
    if source_object is not None:
        action.source_type = ContentType.objects.get_for_model(source_object)
        action.source_id = source_object.pk
    action.save()
    _open_clock(action)
    return action


def _locked(action, version=None):
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if version is not None and int(version) != locked.version:
        raise ConcurrentEdit()
    return locked


def _check_owner_agency(action, user):
    """Only the owner agency's people update an action (another agency's: refused)."""
    if not user.has_perm(UPDATE_ACTION):
        raise PermissionDenied(UPDATE_ACTION)
    if user.agency_id != action.owner_agency_id:
        raise PermissionDenied(OTHER_AGENCY)


def _bump(action):
    action.version += 1


def _store_evidence(update, upload):
    if upload is None:
        return
    content_type, sha256 = check_upload(upload)
    update.original_name = (upload.name or "evidence")[:255]
    update.content_type = content_type
    update.size = upload.size
    update.sha256 = sha256
    update.file.save("evidence", upload, save=False)


@transaction.atomic
def revise_action(*, action, user, due_date, version=None, reason=""):
    """The partnership team moves an action's due date (its clock follows). Never before the
    day it was set."""
    if not user.has_perm(SET_ACTIONS):
        raise PermissionDenied(SET_ACTIONS)
    action = _locked(action, version)
    _check_dates(action.set_on, due_date)
    action.due_date = due_date
    _bump(action)
    action._change_reason = reason[:100] if reason else None
    action.save()
    if action.unfinished:
        _open_clock(action)
    return action


@transaction.atomic
def add_update(*, action, user, text, rag, upload=None, version=None):
    """The owner agency records progress: what has been done, the RAG status now, and
    evidence (optional file, checked by its content as documents are)."""
    action = _locked(action, version)
    _check_owner_agency(action, user)
    if not action.unfinished:
        raise workflow.NotAllowed(
            f"This action is {action.get_status_display().lower()}: it takes no more updates."
        )
    if not (text or "").strip():
        raise ValidationError({"text": "Enter what has been done"})
    if rag not in Action.Rag.values:
        raise ValidationError({"rag": "Select the RAG status"})
    update = ActionUpdate(
        action=action, kind=ActionUpdate.Kind.PROGRESS, text=text, rag=rag, by=user
    )
    _store_evidence(update, upload)
    update.save()
    action.rag = rag
    _bump(action)
    action.save()
    return update


@transaction.atomic
def propose_closure(*, action, user, evidence, upload=None, version=None):
    """The owner agency proposes closing its action, with evidence of impact (refused
    without). The PDEO or Chair then accepts or returns it."""
    action = _locked(action, version)
    _check_owner_agency(action, user)
    if not (evidence or "").strip():
        raise ValidationError({"evidence": NEEDS_EVIDENCE})
    workflow.check(TRANSITIONS, "propose_closure", action, user)
    update = ActionUpdate(
        action=action, kind=ActionUpdate.Kind.PROPOSED, text=evidence, rag=action.rag, by=user
    )
    _store_evidence(update, upload)
    update.save()
    action.closure_evidence = evidence
    action.completed_on = timezone.localdate()
    _bump(action)
    workflow.apply(TRANSITIONS, "propose_closure", action, user, reason="Evidence of impact")
    return action


@transaction.atomic
def accept_closure(*, action, user, note="", version=None):
    """The PDEO or Chair accepts the evidence: the action is closed and its clock met on the
    day the agency proposed it."""
    action = _locked(action, version)
    workflow.check(TRANSITIONS, "accept_closure", action, user)
    ActionUpdate.objects.create(
        action=action, kind=ActionUpdate.Kind.ACCEPTED, text=note or "Closure accepted", by=user
    )
    action.closed_on = timezone.localdate()
    action.decided_by = user
    _bump(action)
    workflow.apply(TRANSITIONS, "accept_closure", action, user, reason=note)
    deadlines.record_event(kind=Kind.ACTION_DUE, obj=action, on=action.completed_on)
    _finished(action, user)
    return action


@transaction.atomic
def return_closure(*, action, user, reason, version=None):
    """The PDEO or Chair returns the proposal, saying why: the action is open again and still
    chased."""
    action = _locked(action, version)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the closure is returned"})
    workflow.check(TRANSITIONS, "return_closure", action, user)
    ActionUpdate.objects.create(
        action=action, kind=ActionUpdate.Kind.RETURNED, text=reason, by=user
    )
    action.completed_on = None
    action.decided_by = user
    _bump(action)
    workflow.apply(TRANSITIONS, "return_closure", action, user, reason=reason[:2000])
    return action


@transaction.atomic
def carry_into_other_work(*, action, user, reasons, version=None):
    """The action is formally carried into other work (another plan, a thematic review), with
    the reasons kept: it is finished here and its clock cancelled."""
    action = _locked(action, version)
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Enter where the action is carried and why"})
    workflow.check(TRANSITIONS, "carry", action, user)
    ActionUpdate.objects.create(
        action=action, kind=ActionUpdate.Kind.CARRIED, text=reasons, by=user
    )
    action.carried_into = reasons
    action.closed_on = timezone.localdate()
    action.decided_by = user
    _bump(action)
    workflow.apply(TRANSITIONS, "carry", action, user, reason=reasons[:2000])
    deadlines.cancel_deadline(kind=Kind.ACTION_DUE, obj=action)
    _finished(action, user)
    return action
