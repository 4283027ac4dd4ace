from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import (
    DECIDE_CLOSURE,
    OVERSEE_ACTIONS,
    SET_ACTIONS,
    UPDATE_ACTION,
    VIEW_ACTIONS,
)
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.cases.models import Case
from safeguarding.web import AccessLoggedMixin, ServiceFormView, open_stored

from . import selectors, services
from .forms import (
    ActionForm,
    CarryForm,
    DecideClosureForm,
    FilterForm,
    ProposeClosureForm,
    UpdateForm,
)
from .models import Action

PAGE_SIZE = 50


class ActionMixin(AccessLoggedMixin, ServiceView):
    """A page about one action: through the actions gate or a 404, whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_action()
        return super().dispatch(request, *args, **kwargs)

    def get_action(self):
        if not hasattr(self, "_action"):
            self._action = selectors.action_for(self.request.user, self.kwargs["pk"])
        return self._action

    def access_logged_object(self):
        return self.get_action()

    def detail_url(self):
        return reverse("actions:detail", kwargs={"pk": self.get_action().pk})

    def get_success_url(self):
        return self.detail_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.get_action(), back_url=self.detail_url(), **kwargs
        )


class VersionedFormMixin:
    def get_initial(self):
        return {**super().get_initial(), "version": self.get_action().version}


def _rows(actions, today):
    return [(a, a.is_overdue(today)) for a in actions]


class AgencyActionsView(ServiceView, TemplateView):
    """The owner agency's actions across every review and the Panel, on one page: case
    references and pseudonyms only."""

    permission_required = UPDATE_ACTION
    template_name = "actions/agency_actions.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        actions = selectors.agency_actions(user)
        page = Paginator(selectors.as_table(actions), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            page=page,
            rows=_rows(page.object_list, today),
            counts=selectors.counts(actions, today),
            agency=user.agency,
            **kwargs,
        )


class AllActionsView(ServiceView, TemplateView):
    """Every action the person oversees, filtered by agency, RAG status, status, overdue."""

    permission_required = OVERSEE_ACTIONS
    template_name = "actions/all_actions.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        form = FilterForm(self.request.GET or None)
        filters = {}
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            filters = {
                "agency": data["agency"],
                "rag": data["rag"],
                "status": data["status"],
                "overdue": data["overdue"],
            }
        actions = selectors.all_actions(user, **filters)
        page = Paginator(selectors.as_table(actions), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page=page,
            query=query.urlencode(),
            rows=_rows(page.object_list, today),
            counts=selectors.counts(actions, today),
            can_set=user.has_perm(SET_ACTIONS),
            **kwargs,
        )


class ActionDetailView(ActionMixin, TemplateView):
    permission_required = VIEW_ACTIONS
    template_name = "actions/action_detail.html"

    def get_context_data(self, **kwargs):
        user, action = self.request.user, self.get_action()
        ours = user.has_perm(UPDATE_ACTION) and user.agency_id == action.owner_agency_id
        return super().get_context_data(
            updates=selectors.updates_of(action),
            overdue=action.is_overdue(),
            can_update=ours and action.status == Action.Status.OPEN,
            can_propose=ours and action.status == Action.Status.OPEN,
            can_decide=user.has_perm(DECIDE_CLOSURE)
            and action.status == Action.Status.CLOSURE_PROPOSED,
            can_carry=user.has_perm(DECIDE_CLOSURE) and action.unfinished,
            list_url=reverse(
                "actions:list" if user.has_perm(OVERSEE_ACTIONS) else "actions:agency"
            ),
            **kwargs,
        )


class NewActionView(ServiceFormView):
    permission_required = SET_ACTIONS
    template_name = "actions/action_form.html"
    form_class = ActionForm
    success_message = "Action set"

    def perform(self, form):
        data = form.cleaned_data
        case = None
        reference = data["case_reference"].strip()
        if reference:
            case = (
                Case.objects.visible_to(self.request.user)
                .filter(reference__iexact=reference)
                .first()
            )
            if case is None:
                raise ValidationError({"case_reference": "There is no case with that reference"})
        return services.set_action(
            user=self.request.user,
            case=case,
            source=data["source"],
            description=data["description"],
            owner_agency=data["owner_agency"],
            owner=data["owner"],
            due_date=data["due_date"],
            measure_of_success=data["measure_of_success"],
        )

    def get_success_url(self):
        return reverse("actions:detail", kwargs={"pk": self.result.pk})

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("actions:list"), **kwargs)


class _FileFormMixin:
    def form_invalid(self, form):
        # A refused file's errors belong on the file field (the error summary links there).
        if "file" in form.fields and form.non_field_errors() and self.request.FILES:
            for message in form.errors.pop("__all__", []):
                form.add_error("file", message)
        return super().form_invalid(form)


class AddUpdateView(_FileFormMixin, VersionedFormMixin, ActionMixin, ServiceFormView):
    permission_required = UPDATE_ACTION
    template_name = "actions/update_form.html"
    form_class = UpdateForm
    success_message = "Progress update saved"

    def get_initial(self):
        return {**super().get_initial(), "rag": self.get_action().rag}

    def perform(self, form):
        data = form.cleaned_data
        return services.add_update(
            action=self.get_action(),
            user=self.request.user,
            text=data["text"],
            rag=data["rag"],
            upload=data["file"],
            version=data["version"],
        )


class ProposeClosureView(_FileFormMixin, VersionedFormMixin, ActionMixin, ServiceFormView):
    permission_required = UPDATE_ACTION
    template_name = "actions/propose_closure.html"
    form_class = ProposeClosureForm
    success_message = "Closure proposed: the PDEO or Chair will decide"

    def perform(self, form):
        data = form.cleaned_data
        return services.propose_closure(
            action=self.get_action(),
            user=self.request.user,
            evidence=data["evidence"],
            upload=data["file"],
            version=data["version"],
        )


class DecideClosureView(VersionedFormMixin, ActionMixin, ServiceFormView):
    permission_required = DECIDE_CLOSURE
    template_name = "actions/decide_closure.html"
    form_class = DecideClosureForm

    def get(self, request, *args, **kwargs):
        if self.get_action().status != Action.Status.CLOSURE_PROPOSED:
            return redirect(self.detail_url())  # nothing to decide
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        data, action, user = form.cleaned_data, self.get_action(), self.request.user
        if data["decision"] == "accept":
            return services.accept_closure(
                action=action, user=user, note=data["reason"], version=data["version"]
            )
        return services.return_closure(
            action=action, user=user, reason=data["reason"], version=data["version"]
        )

    def get_success_message(self, action):
        if action.status == Action.Status.CLOSED:
            return "Action closed"
        return "Closure returned to the agency"


class CarryView(VersionedFormMixin, ActionMixin, ServiceFormView):
    permission_required = DECIDE_CLOSURE
    template_name = "actions/carry.html"
    form_class = CarryForm
    success_message = "Action carried into other work"

    def perform(self, form):
        data = form.cleaned_data
        return services.carry_into_other_work(
            action=self.get_action(),
            user=self.request.user,
            reasons=data["reasons"],
            version=data["version"],
        )


class EvidenceDownloadView(ActionMixin, View):
    """An update's evidence file: only through the actions gate, each download logged."""

    permission_required = VIEW_ACTIONS
    logs_own_access = True

    def get(self, request, pk, update_id):
        update = selectors.evidence_for(self.get_action(), update_id)
        handle = open_stored(update.file)
        record_access(
            request=request,
            obj=update,
            action=AccessLog.Action.DOWNLOAD,
            description=f"Evidence on {update.action.reference} ({update.action.owner_agency})",
        )
        return FileResponse(
            handle,
            content_type=update.content_type,
            as_attachment=True,
            filename=update.original_name,
        )
