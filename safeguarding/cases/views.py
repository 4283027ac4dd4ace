import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.deadlines import selectors as deadline_selectors
from safeguarding.web import ServiceFormMixin

from . import selectors, services
from .filters import CaseFilter
from .forms import CaseDetailsForm, ChildForm, ConflictForm, EscalationForm, TeamMemberForm
from .models import CaseTeamMember
from .panels import panels_for
from .timeline import case_timeline

PAGE_SIZE = 25


class CaseMixin(ServiceFormMixin, ServiceView):
    """A page about one case: the case comes through the visibility gate or it is a 404."""

    def dispatch(self, request, *args, **kwargs):
        # The gate before anything else (even "method not allowed"): outside it, a 404.
        if self.has_permission():
            self.get_case()
        return super().dispatch(request, *args, **kwargs)

    def get_case(self):
        if not hasattr(self, "_case"):
            self._case = selectors.case_for(self.request.user, self.kwargs["reference"])
        return self._case

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.get_case(), **kwargs)

    def case_url(self):
        return reverse("cases:detail", kwargs={"reference": self.get_case().reference})


class CaseListView(ServiceView, TemplateView):
    permission_required = "cases.view_case_list"
    template_name = "cases/case_list.html"

    def get_context_data(self, **kwargs):
        queryset = selectors.case_list(self.request.user)
        case_filter = CaseFilter(self.request.GET or None, queryset=queryset)
        rows = case_filter.qs if case_filter.is_bound and case_filter.is_valid() else queryset
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=case_filter,
            form=case_filter.form,
            page=page,
            cases=page.object_list,
            query=query.urlencode(),
            **kwargs,
        )


class CaseExportView(ServiceView, View):
    """The filtered case list as CSV: references and pseudonyms only, and logged."""

    permission_required = "cases.export_cases"

    def get(self, request):
        queryset = selectors.case_list(request.user)
        case_filter = CaseFilter(request.GET or None, queryset=queryset)
        rows = case_filter.qs if case_filter.is_bound and case_filter.is_valid() else queryset
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "Reference",
                "Pseudonym",
                "Stage",
                "Status",
                "Nature",
                "Incident date",
                "Children",
                "Next deadline",
                "Overdue deadlines",
            ]
        )
        exported = 0
        for case in rows:
            writer.writerow(
                [
                    case.reference,
                    case.pseudonym,
                    case.get_stage_display(),
                    case.get_status_display(),
                    case.get_nature_display(),
                    case.incident_date or "",
                    case.child_count,
                    case.next_due or "",
                    case.overdue_count,
                ]
            )
            exported += 1
        record_access(
            request=request,
            action=AccessLog.Action.EXPORT,
            description=f"Case list CSV, {exported} cases ({request.GET.urlencode() or 'all'})",
        )
        return response


class CaseDetailView(CaseMixin, TemplateView):
    permission_required = "cases.view_case"
    template_name = "cases/case_detail.html"

    def get(self, request, *args, **kwargs):
        case = self.get_case()
        record_access(request=request, obj=case, action=AccessLog.Action.VIEW)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case = self.get_case()
        user = self.request.user
        identified = selectors.can_see_identifying_details(user, case)
        deadlines = deadline_selectors.rows(
            case.deadlines.exclude(status="cancelled").order_by("due_date", "id")
        )
        team = case.team.select_related("user", "user__agency")
        return super().get_context_data(
            identified=identified,
            children=selectors.children_for(user, case, identified=identified),
            deadlines=deadlines,
            team=list(team),
            escalations=list(case.escalations.select_related("escalated_to")),
            agencies=list(case.agencies_involved.all()),
            panels=panels_for(self.request, case),
            timeline=case_timeline(case),
            can_run=user.has_perm("cases.run_cases"),
            can_manage_team=user.has_perm("cases.manage_case_team"),
            can_declare=user.has_perm("cases.declare_conflict"),
            **kwargs,
        )


class CaseEditView(CaseMixin, FormView):
    permission_required = "cases.run_cases"
    template_name = "cases/case_form.html"
    form_class = CaseDetailsForm

    def get_initial(self):
        return CaseDetailsForm.initial_for(self.get_case())

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        agencies = data.pop("agencies_involved")
        _, refused = self.run_service(
            form,
            lambda: services.update_case_details(
                case=self.get_case(),
                user=self.request.user,
                expected_version=version,
                agencies_involved=agencies,
                **data,
            ),
        )
        if refused:
            return refused
        messages.success(self.request, "Case details saved")
        return redirect(self.case_url())


class ChildAddView(CaseMixin, FormView):
    permission_required = "cases.run_cases"
    template_name = "cases/child_form.html"
    form_class = ChildForm

    def form_valid(self, form):
        _, refused = self.run_service(
            form, lambda: services.add_child(case=self.get_case(), **form.child_fields())
        )
        if refused:
            return refused
        messages.success(self.request, "Child added")
        return redirect(self.case_url())


class ChildEditView(CaseMixin, FormView):
    permission_required = "cases.run_cases"
    template_name = "cases/child_form.html"
    form_class = ChildForm

    def get_child(self):
        return get_object_or_404(self.get_case().children, pk=self.kwargs["child_id"])

    def get_initial(self):
        return ChildForm.initial_for(self.get_child())

    def get_context_data(self, **kwargs):
        return super().get_context_data(child=self.get_child(), **kwargs)

    def form_valid(self, form):
        _, refused = self.run_service(
            form,
            lambda: services.update_child(
                child=self.get_child(),
                expected_version=form.cleaned_data["version"],
                **form.child_fields(),
            ),
        )
        if refused:
            return refused
        messages.success(self.request, "Child's details saved")
        return redirect(self.case_url())


class EscalationAddView(CaseMixin, FormView):
    permission_required = "cases.run_cases"
    template_name = "cases/escalation_form.html"
    form_class = EscalationForm

    def form_valid(self, form):
        _, refused = self.run_service(
            form,
            lambda: services.record_escalation(
                case=self.get_case(), user=self.request.user, **form.cleaned_data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, "Escalation recorded")
        return redirect(self.case_url())


class TeamView(CaseMixin, FormView):
    permission_required = "cases.manage_case_team"
    template_name = "cases/team.html"
    form_class = TeamMemberForm

    def get_context_data(self, **kwargs):
        team = self.get_case().team.select_related("user", "user__agency")
        return super().get_context_data(team=list(team), **kwargs)

    def form_valid(self, form):
        services.add_team_member(
            case=self.get_case(),
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            added_by=self.request.user,
        )
        messages.success(self.request, f"{form.cleaned_data['user']} added to the case team")
        return redirect("cases:team", reference=self.get_case().reference)


class TeamRemoveView(CaseMixin, View):
    permission_required = "cases.manage_case_team"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = get_object_or_404(CaseTeamMember, case=self.get_case(), pk=kwargs["member_id"])
        services.remove_team_member(member=member)
        messages.success(request, f"{member.user} removed from the case team")
        return redirect("cases:team", reference=self.get_case().reference)


class ConflictView(CaseMixin, FormView):
    permission_required = "cases.declare_conflict"
    template_name = "cases/conflict_form.html"
    form_class = ConflictForm

    def form_valid(self, form):
        case = self.get_case()
        services.declare_conflict(
            case=case, user=self.request.user, nature=form.cleaned_data["nature"]
        )
        messages.success(
            self.request,
            f"Conflict of interest on {case.reference} recorded. You can no longer see this case.",
        )
        return redirect("home")
