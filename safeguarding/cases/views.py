from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import (
    DECLARE_CONFLICT,
    EXPORT_CASES,
    MANAGE_CASE_TEAM,
    RUN_CASES,
    VIEW_CASE,
    VIEW_CASE_LIST,
)
from safeguarding.files.mixins import FileRequestView
from safeguarding.web import ServiceActionView, ServiceFormView

from . import exports, selectors, services
from .forms import (
    CaseDetailsForm,
    ChildForm,
    ConflictForm,
    EscalationForm,
    HouseholdMemberForm,
    TeamMemberForm,
)
from .mixins import CaseMixin
from .panels import HEADLINE, OVERVIEW, SUMMARY, next_steps, panels_for, stage_sections
from .timeline import case_timeline

PAGE_SIZE = 25


class CaseListView(ServiceView, TemplateView):
    permission_required = VIEW_CASE_LIST
    template_name = "cases/case_list.html"

    def get_context_data(self, **kwargs):
        filters, rows = exports.filtered(self.request.user, self.request.GET, annotated=False)
        page = selectors.case_list_page(
            self.request.user, rows, self.request.GET.get("page"), PAGE_SIZE
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=filters,
            form=filters.form,
            page=page,
            cases=page.object_list,
            query=query.urlencode(),
            can_record_referral=self.request.user.has_perm(RUN_CASES),
            can_export=self.request.user.has_perm(EXPORT_CASES),
            **kwargs,
        )


class CaseExportView(FileRequestView):
    """The filtered case list as CSV, made in the background: references and pseudonyms."""

    permission_required = EXPORT_CASES
    file_kind = exports.CASE_LIST_CSV
    heading = "Download the case list as CSV"

    def get_file_params(self):
        return {"query": {k: v for k, v in self.request.GET.lists() if k != "page"}}

    def describe_request(self):
        filters, _ = exports.filtered(self.request.user, self.request.GET)
        return exports.describe(filters)

    def get_back_url(self):
        query = self.request.GET.urlencode()
        return reverse("cases:list") + (f"?{query}" if query else "")


class CaseDetailView(CaseMixin, TemplateView):
    """The case page: the case's summary (stage, next clock, whom it waits on), then one
    section at a time, chosen in the MOJ sub-navigation (`?section=`: plain links, so it works
    without JavaScript). Every section is this view: through the gate, and logged once by
    CaseMixin (AccessLoggedMixin).

    Someone who may see the case but not read it (a Panel member not on its team) gets its
    reference, pseudonym, stage and status only, whichever section they ask for: every section
    shows free text or identifying details."""

    permission_required = VIEW_CASE
    read_case = False
    TIMELINE_PAGE_SIZE = 25

    def get_template_names(self):
        if self.may_read():
            return ["cases/case_detail.html"]
        return ["cases/case_summary.html"]

    def may_read(self):
        if not hasattr(self, "_may_read"):
            self._may_read = selectors.can_read(self.request.user, self.get_case())
        return self._may_read

    def sections(self):
        return [
            (OVERVIEW, "Overview"),
            *stage_sections(),
            ("team", "Team and escalations"),
            ("history", "History"),
        ]

    def get_section(self):
        section = self.request.GET.get("section") or OVERVIEW
        if section not in dict(self.sections()):
            raise Http404("No such section")
        return section

    def get(self, request, *args, **kwargs):
        self.get_section()  # an unknown section is a 404 (and so never logged)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case = self.get_case()
        user = self.request.user
        if not self.may_read():
            return super().get_context_data(can_declare=user.has_perm(DECLARE_CONFLICT), **kwargs)
        section = self.get_section()
        context = {
            "section": section,
            "sections": self.sections(),
            "section_title": dict(self.sections())[section],
            "identified": True,
            "can_run": user.has_perm(RUN_CASES),
            "can_manage_team": user.has_perm(MANAGE_CASE_TEAM),
            "can_declare": user.has_perm(DECLARE_CONFLICT),
        }
        if section == OVERVIEW:
            context.update(
                children=selectors.children_for(user, case, identified=True),
                household=selectors.household_of(case),
                agencies=selectors.agencies_of(case),
                next_steps=next_steps(self.request, case),
                summary_panels=panels_for(self.request, case, slot=SUMMARY),
            )
        elif section == "team":
            context.update(team=selectors.team_of(case), escalations=selectors.escalations_of(case))
        elif section == "history":
            page = Paginator(case_timeline(case), self.TIMELINE_PAGE_SIZE).get_page(
                self.request.GET.get("page")
            )
            context.update(page=page, timeline=page.object_list, query="section=history")
        else:
            context["panels"] = panels_for(self.request, case, section=section)
        # After the overview's panels: the headline reuses what the clocks panel worked out.
        context["headline"] = panels_for(self.request, case, slot=HEADLINE)
        return super().get_context_data(**context, **kwargs)


class CaseEditView(CaseMixin, ServiceFormView):
    permission_required = RUN_CASES
    template_name = "cases/case_form.html"
    form_class = CaseDetailsForm
    success_message = "Case details saved"

    def get_initial(self):
        return CaseDetailsForm.initial_for(self.get_case())

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        agencies = data.pop("agencies_involved")
        return services.update_case_details(
            case=self.get_case(),
            user=self.request.user,
            expected_version=version,
            agencies_involved=agencies,
            **data,
        )


class ChildAddView(CaseMixin, ServiceFormView):
    permission_required = RUN_CASES
    template_name = "cases/child_form.html"
    form_class = ChildForm
    success_message = "Child added"

    def perform(self, form):
        return services.add_child(case=self.get_case(), **form.child_fields())


class ChildEditView(CaseMixin, ServiceFormView):
    permission_required = RUN_CASES
    template_name = "cases/child_form.html"
    form_class = ChildForm
    success_message = "Child's details saved"

    def get_child(self):
        return selectors.child_of(self.get_case(), self.kwargs["child_id"])

    def get_initial(self):
        return ChildForm.initial_for(self.get_child())

    def get_context_data(self, **kwargs):
        return super().get_context_data(child=self.get_child(), **kwargs)

    def perform(self, form):
        return services.update_child(
            child=self.get_child(),
            expected_version=form.cleaned_data["version"],
            **form.child_fields(),
        )


class EscalationAddView(CaseMixin, ServiceFormView):
    permission_required = RUN_CASES
    template_name = "cases/escalation_form.html"
    form_class = EscalationForm
    success_message = "Escalation recorded"

    def perform(self, form):
        return services.record_escalation(
            case=self.get_case(), user=self.request.user, **form.cleaned_data
        )


class HouseholdAddView(CaseMixin, ServiceFormView):
    permission_required = RUN_CASES
    template_name = "cases/household_form.html"
    form_class = HouseholdMemberForm
    success_message = "Household member added"

    def perform(self, form):
        return services.add_household_member(case=self.get_case(), **form.cleaned_data)


class HouseholdRemoveView(CaseMixin, ServiceActionView):
    permission_required = RUN_CASES
    success_message = "Household member removed"

    def perform(self):
        member = selectors.household_member(self.get_case(), self.kwargs["member_id"])
        return services.remove_household_member(member=member)


class TeamView(CaseMixin, ServiceFormView):
    permission_required = MANAGE_CASE_TEAM
    template_name = "cases/team.html"
    form_class = TeamMemberForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=selectors.team_of(self.get_case()), **kwargs)

    def perform(self, form):
        return services.add_team_member(
            case=self.get_case(),
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            added_by=self.request.user,
        )

    def get_success_message(self, member):
        return f"{member.user} added to the case team"

    def get_success_url(self):
        return reverse("cases:team", kwargs={"reference": self.get_case().reference})


class TeamRemoveView(CaseMixin, ServiceActionView):
    permission_required = MANAGE_CASE_TEAM

    def get_member(self):
        return get_object_or_404(
            selectors.team_members(self.get_case()), pk=self.kwargs["member_id"]
        )

    def perform(self):
        member = self.get_member()
        services.remove_team_member(member=member)
        return member

    def get_success_message(self, member):
        return f"{member.user} removed from the case team"

    def get_success_url(self):
        return reverse("cases:team", kwargs={"reference": self.get_case().reference})


class ConflictView(CaseMixin, ServiceFormView):
    permission_required = DECLARE_CONFLICT
    read_case = False  # anyone who can see a case can say they must not work on it
    template_name = "cases/conflict_form.html"
    form_class = ConflictForm

    def perform(self, form):
        return services.declare_conflict(
            case=self.get_case(), user=self.request.user, nature=form.cleaned_data["nature"]
        )

    def get_success_message(self, conflict):
        return (
            f"Conflict of interest on {conflict.case.reference} recorded. "
            "You can no longer see this case."
        )

    def get_success_url(self):
        return reverse("home")
