from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import (
    CONDUCT_PANEL,
    READ_HIGHLIGHT_REPORTS,
    RUN_PANEL,
    SET_ACTIONS,
    VIEW_PANEL,
)
from safeguarding.actions import selectors as action_selectors
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.cases import selectors as case_selectors
from safeguarding.cases.mixins import CaseMixin
from safeguarding.files.mixins import FileRequestView
from safeguarding.web import AccessLoggedMixin, ServiceActionView, ServiceFormView

from . import files, forms, highlight, invitations, selectors, services
from .models import AgendaItem


class MembersView(ServiceView, TemplateView):
    permission_required = VIEW_PANEL
    template_name = "panel/members.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current=list(selectors.current_members()),
            everyone=list(selectors.members()),
            can_run=self.request.user.has_perm(RUN_PANEL),
            **kwargs,
        )


class MemberAddView(ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.MemberForm
    extra_context = {"title": "Add a member of the Panel", "submit": "Add the member"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("panel:members"), **kwargs)

    def perform(self, form):
        return services.add_member(user=self.request.user, **form.cleaned_data)

    def get_success_message(self, member):
        return f"{member.user} added to the Panel, with {member.deputy} as their deputy"

    def get_success_url(self):
        return reverse("panel:members")


class MemberMixin:
    def get_member(self):
        if not hasattr(self, "_member"):
            self._member = selectors.member_for(self.kwargs["pk"])
        return self._member

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            member=self.get_member(), back_url=reverse("panel:members"), **kwargs
        )

    def get_success_url(self):
        return reverse("panel:members")


class MemberEditView(MemberMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.MemberEditForm
    extra_context = {"submit": "Save"}

    def get_initial(self):
        m = self.get_member()
        return {
            "version": m.version,
            "panel_role": m.panel_role,
            "start_date": m.start_date,
            "end_date": m.end_date,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.get_member().user}: membership", **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.update_member(
            user=self.request.user,
            member=self.get_member(),
            expected_version=data.pop("version"),
            **data,
        )

    def get_success_message(self, member):
        return f"{member.user}'s membership saved"


class MemberDeputyView(MemberMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.DeputyForm
    extra_context = {"submit": "Name the deputy"}

    def get_context_data(self, **kwargs):
        member = self.get_member()
        return super().get_context_data(
            title=f"{member.user}'s deputy",
            intro=f"Their named deputy now is {member.deputy}. Each member has exactly one.",
            **kwargs,
        )

    def perform(self, form):
        return services.name_deputy(
            user=self.request.user, member=self.get_member(), **form.cleaned_data
        )

    def get_success_message(self, member):
        return f"{member.deputy} is now {member.user}'s deputy"


class MeetingsView(ServiceView, TemplateView):
    permission_required = VIEW_PANEL
    template_name = "panel/meetings.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            upcoming=list(selectors.upcoming_meetings()),
            past=list(selectors.past_meetings()[:24]),
            can_run=self.request.user.has_perm(RUN_PANEL),
            **kwargs,
        )


class ScheduleView(ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.ScheduleForm
    extra_context = {
        "title": "Set the year's regular meetings",
        "intro": "The Panel meets every other month. Members and their deputies are sent a "
        "calendar invitation for each meeting.",
        "submit": "Set the meetings",
    }

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("panel:meetings"), **kwargs)

    def perform(self, form):
        return services.schedule_regular_meetings(user=self.request.user, **form.cleaned_data)

    def get_success_message(self, made):
        return f"{len(made)} meetings set, and the invitations sent"

    def get_success_url(self):
        return reverse("panel:meetings")


class CallMeetingView(ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.CallMeetingForm
    extra_context = {
        "title": "Call an extraordinary meeting",
        "intro": "For a decision that cannot wait for the next regular meeting, for example a "
        "rapid review within its 15 working days.",
        "submit": "Call the meeting",
    }

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("panel:meetings"), **kwargs)

    def perform(self, form):
        return services.call_extraordinary_meeting(user=self.request.user, **form.cleaned_data)

    def get_success_message(self, meeting):
        return "Meeting called, and the invitations sent"

    def get_success_url(self):
        return reverse("panel:meeting", kwargs={"pk": self.result.pk})


class MeetingMixin:
    def get_meeting(self):
        if not hasattr(self, "_meeting"):
            self._meeting = selectors.meeting_for(self.kwargs["pk"])
        return self._meeting

    def meeting_url(self):
        return reverse("panel:meeting", kwargs={"pk": self.get_meeting().pk})

    def get_success_url(self):
        return self.meeting_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.get_meeting(), back_url=self.meeting_url(), **kwargs
        )


class MeetingView(MeetingMixin, ServiceView, TemplateView):
    permission_required = VIEW_PANEL
    template_name = "panel/meeting.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        user = self.request.user
        agenda, attendance = selectors.agenda(meeting)
        previous = services.minuted_before(meeting)
        return super().get_context_data(
            previous=previous,
            agenda=agenda,
            withheld=selectors.withheld_from(user),
            attendance=attendance,
            history=list(selectors.meeting_history(meeting)[:20]),
            papers=selectors.papers_deadline(meeting),
            invited=selectors.invitees(meeting),
            can_run=user.has_perm(RUN_PANEL),
            can_conduct=user.has_perm(CONDUCT_PANEL),
            **kwargs,
        )


class MeetingMoveView(MeetingMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.MoveMeetingForm
    extra_context = {
        "title": "Move the meeting",
        "intro": "Members and deputies are sent an update that moves the meeting in their "
        "calendars.",
        "submit": "Move the meeting",
    }

    def get_initial(self):
        m = self.get_meeting()
        return {
            "version": m.version,
            "day": m.date,
            "start_time": m.start_time,
            "end_time": m.end_time,
            "place": m.place,
            "online_link": m.online_link,
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.move_meeting(
            user=self.request.user,
            meeting=self.get_meeting(),
            expected_version=data.pop("version"),
            **data,
        )

    def get_success_message(self, meeting):
        return "Meeting moved, and the calendar updates sent"


class MeetingCancelView(MeetingMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.CancelMeetingForm
    extra_context = {
        "title": "Cancel the meeting",
        "intro": "The meeting is kept, marked cancelled, and removed from members' calendars.",
        "submit": "Cancel the meeting",
        "warning": True,
    }

    def get_initial(self):
        return {"version": self.get_meeting().version}

    def perform(self, form):
        return services.cancel_meeting(
            user=self.request.user,
            meeting=self.get_meeting(),
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self, meeting):
        return "Meeting cancelled, and the cancellations sent"


class MeetingIcsView(MeetingMixin, ServiceView, View):
    """The meeting's calendar file, as in the invitation (behind sign-in)."""

    permission_required = VIEW_PANEL

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        method = "CANCEL" if meeting.is_cancelled else "REQUEST"
        response = HttpResponse(
            invitations.build_ics(meeting, method=method),
            content_type=invitations.content_type(method),
        )
        response["Content-Disposition"] = f'attachment; filename="{invitations.filename(meeting)}"'
        return response


# --- Agenda, attendance, declarations, minutes ------------------------------------------


class ItemAddView(MeetingMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.ItemForm
    extra_context = {"title": "Add an item to the agenda", "submit": "Add the item"}

    def perform(self, form):
        data = dict(form.cleaned_data)
        reference = data.pop("case_reference").strip()
        case = None
        if reference:
            case = selectors.case_by_reference(self.request.user, reference)
            if case is None:
                raise ValidationError({"case_reference": "There is no case with that reference"})
        if data["kind"] in AgendaItem.CASE_KINDS and case is None:
            raise ValidationError(
                {"case_reference": "Enter the reference of the case this item is about"}
            )
        return services.add_item(
            user=self.request.user, meeting=self.get_meeting(), case=case, **data
        )

    def get_success_message(self, item):
        return f"Item {item.number} added"


class ItemMixin(MeetingMixin):
    def get_item(self):
        if not hasattr(self, "_item"):
            self._item = selectors.item_for(
                self.kwargs["pk"], self.kwargs["item_id"], user=self.request.user
            )
        return self._item

    def item_url(self):
        item = self.get_item()
        return reverse("panel:item", kwargs={"pk": item.meeting_id, "item_id": item.pk})

    def get_success_url(self):
        return self.item_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(item=self.get_item(), **kwargs)
        context["back_url"] = self.item_url()
        return context


class ItemView(ItemMixin, ServiceView, TemplateView):
    """The item: its case by reference and pseudonym, its papers (to those who may read the
    case), declarations, quoracy and minutes."""

    permission_required = VIEW_PANEL
    template_name = "panel/item.html"

    def get_context_data(self, **kwargs):
        item = self.get_item()
        user = self.request.user
        reads = item.case_id is not None and case_selectors.can_read(user, item.case)
        if reads and self.request.method == "GET":
            record_access(
                request=self.request,
                obj=item.case,
                action=AccessLog.Action.VIEW,
                description=f"CSPR Panel agenda item {item.number}, {item.meeting}",
            )
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.meeting_url()
        return {
            **context,
            "reads_case": reads,
            "papers": list(item.papers.select_related("agency")) if reads else [],
            "paper_count": item.papers.count(),
            "declarations": list(item.declarations.select_related("person")),
            "quoracy": selectors.quoracy_of(item),
            "decisions": list(selectors.decisions_of(item)),
            "decides_here": item.kind in DECISION_FORMS and item.case_id is not None,
            "can_run": user.has_perm(RUN_PANEL),
            "can_conduct": user.has_perm(CONDUCT_PANEL),
            "can_set_actions": user.has_perm(SET_ACTIONS) and not item.meeting.is_cancelled,
        }


class ItemPapersView(ItemMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.PapersForm
    extra_context = {"title": "Papers for the item", "submit": "Save the papers"}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "queryset": selectors.documents_for_papers(self.get_item()),
        }

    def get_initial(self):
        return {"documents": list(self.get_item().papers.all())}

    def perform(self, form):
        return services.set_papers(
            user=self.request.user,
            item=self.get_item(),
            documents=list(form.cleaned_data["documents"]),
        )

    def get_success_message(self, item):
        return "Papers saved"


class SendPapersView(MeetingMixin, ServiceActionView):
    permission_required = RUN_PANEL
    success_message = "Papers sent: members (or deputies of those who sent apologies) can now "
    success_message += "read the cases on the agenda"

    def perform(self):
        return services.send_papers(user=self.request.user, meeting=self.get_meeting())


class AttendanceView(MeetingMixin, ServiceFormView):
    permission_required = CONDUCT_PANEL
    template_name = "panel/form.html"
    form_class = forms.AttendanceForm
    extra_context = {
        "title": "Attendance",
        "intro": "A member who sends apologies is represented by their named deputy; their "
        "access to the cases on the agenda moves to the deputy at once.",
        "submit": "Save attendance",
    }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "attendance": selectors.attendance_of(self.get_meeting()),
        }

    def perform(self, form):
        return services.record_attendance(
            user=self.request.user, meeting=self.get_meeting(), statuses=form.statuses()
        )

    def get_success_message(self, meeting):
        return "Attendance saved"


class DeclareView(ItemMixin, ServiceFormView):
    permission_required = CONDUCT_PANEL
    template_name = "panel/form.html"
    form_class = forms.DeclarationForm
    extra_context = {
        "title": "Declare an interest in the item",
        "intro": "The person takes no part in this item's decision and does not count towards "
        "its quoracy. To lose access to the whole case, declare a conflict of interest on the "
        "case itself.",
        "submit": "Record the declaration",
    }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": selectors.people_of(self.get_meeting())}

    def perform(self, form):
        return services.declare_interest(
            user=self.request.user, item=self.get_item(), **form.cleaned_data
        )

    def get_success_message(self, declaration):
        return f"Interest recorded for {declaration.person}"


class MinutesView(ItemMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.MinutesForm
    extra_context = {"title": "Minutes of the item", "submit": "Save the minutes"}

    def get_initial(self):
        item = self.get_item()
        return {"version": item.version, "minutes": item.minutes, "close": item.is_closed}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.write_minutes(
            user=self.request.user,
            item=self.get_item(),
            expected_version=data.pop("version"),
            **data,
        )

    def get_success_message(self, item):
        return "Minutes saved"


# --- Decisions --------------------------------------------------------------------------


# The form for each kind of item the Panel decides on (services.DECISIONS says through whose
# service the decision goes).
DECISION_FORMS = {
    AgendaItem.Kind.RAPID_REVIEW: forms.RapidReviewDecisionForm,
    AgendaItem.Kind.REFERRAL: forms.ReferralDecisionForm,
    AgendaItem.Kind.LOCAL_REVIEW: forms.LocalReviewDecisionForm,
    AgendaItem.Kind.PROGRESS: forms.ApprovalForm,
}


class DecideView(ItemMixin, ServiceFormView):
    """The Chair or Deputy Chair records the item's decision (the PDEO on their behalf),
    through the service of the app that owns it."""

    permission_required = CONDUCT_PANEL
    template_name = "panel/form.html"
    extra_context = {"submit": "Record the decision"}

    def get_form_class(self):
        form_class = DECISION_FORMS.get(self.get_item().kind)
        if form_class is None:
            raise Http404("This item has no decision to record here")
        return form_class

    def get_context_data(self, **kwargs):
        item = self.get_item()
        quorate = selectors.quoracy_of(item)
        return super().get_context_data(
            title="Record the Panel's decision",
            intro=f"{quorate.explain()}. Who was present is taken from the attendance.",
            **kwargs,
        )

    def perform(self, form):
        return services.record_decision(
            user=self.request.user, item=self.get_item(), **form.cleaned_data
        )

    def get_success_message(self, decision):
        return f"Decision recorded. {decision.recorded_as}."


class VirtualDecisionView(CaseMixin, ServiceFormView):
    """A rapid review decision needed between meetings, with each partner's agreement."""

    permission_required = CONDUCT_PANEL
    template_name = "panel/form.html"
    form_class = forms.VirtualDecisionForm
    extra_context = {
        "title": "Record a decision between meetings",
        "intro": "A virtual decision of the CSPR Panel needs the agreement of each of the "
        "local authority, the police and the ICB.",
        "submit": "Record the decision",
    }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people_by_partner": selectors.people_by_partner()}

    def perform(self, form):
        agreements = form.agreements()
        return services.record_virtual_rapid_review_decision(
            user=self.request.user, case=self.get_case(), agreements=agreements, **form.cleaned_data
        )

    def get_success_message(self, decision):
        return f"Decision recorded. {decision.recorded_as}."


# --- Minutes --------------------------------------------------------------------------


class ApproveMinutesView(MeetingMixin, ServiceActionView):
    """At this meeting, approve the previous meeting's minutes (then read-only)."""

    permission_required = CONDUCT_PANEL

    def perform(self):
        return services.approve_minutes(user=self.request.user, meeting=self.get_meeting())

    def get_success_message(self, previous):
        return f"The minutes of the {previous} are approved"


class MinutesPdfView(FileRequestView):
    """Ask for the meeting's minutes as a PDF, made in the background (FileRequestView has
    its own back link, so this does not take MeetingMixin's page context)."""

    permission_required = VIEW_PANEL
    file_kind = files.MINUTES_PDF
    heading = "Download the minutes as a PDF"

    def get_meeting(self):
        if not hasattr(self, "_meeting"):
            self._meeting = selectors.meeting_for(self.kwargs["pk"])
        return self._meeting

    def get_file_params(self):
        return {"meeting": self.get_meeting().pk}

    def describe_request(self):
        return [f"The minutes of the {self.get_meeting()}, by reference and pseudonym only"]

    def get_back_url(self):
        return reverse("panel:meeting", kwargs={"pk": self.get_meeting().pk})


# --- The action log ---------------------------------------------------------------------

ACTION_LOG_PAGE_SIZE = 50


def _action_rows(actions, today):
    """[(action, overdue, meeting it arose at or None)]: two queries for the meetings."""
    actions = list(actions)
    meetings = selectors.meetings_of(actions)
    return [(a, a.is_overdue(today), meetings.get(a.pk)) for a in actions]


class MeetingActionsView(MeetingMixin, ServiceView, TemplateView):
    """The actions arising at one meeting and its items, through the actions gate."""

    permission_required = VIEW_PANEL
    template_name = "panel/meeting_actions.html"

    def get_context_data(self, **kwargs):
        user, meeting, today = self.request.user, self.get_meeting(), timezone.localdate()
        actions = selectors.meeting_actions(user, meeting)
        return super().get_context_data(
            rows=_action_rows(actions, today),
            counts=action_selectors.counts(actions, today),
            can_add=user.has_perm(SET_ACTIONS) and not meeting.is_cancelled,
            can_escalate=user.has_perm(CONDUCT_PANEL),
            **kwargs,
        )


class ActionLogView(ServiceView, TemplateView):
    """The Panel's action log across its meetings: overdue ones flagged, escalated ones
    marked. Through the actions gate: a member sees their own agency's."""

    permission_required = VIEW_PANEL
    template_name = "panel/action_log.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        form = forms.ActionLogFilterForm(self.request.GET or None)
        filters = {}
        if form.is_bound and form.is_valid():
            filters = {k: form.cleaned_data[k] for k in selectors.ACTION_LOG_FILTERS}
        actions = selectors.action_log(user, **filters)
        page = Paginator(actions, ACTION_LOG_PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page=page,
            query=query.urlencode(),
            rows=_action_rows(page.object_list, today),
            counts=action_selectors.counts(actions, today),
            can_escalate=user.has_perm(CONDUCT_PANEL),
            here="actions",
            **kwargs,
        )


class ActionAddView(MeetingMixin, ServiceFormView):
    """Set an action arising at the meeting, or at one of its items (through the actions
    service: its D15 clock, updates and closure are the actions app's)."""

    permission_required = SET_ACTIONS
    template_name = "panel/form.html"
    form_class = forms.ActionLogForm
    extra_context = {
        "title": "Add an action arising at the meeting",
        "intro": "Single-agency activity or an escalation the Panel agreed. The owner agency "
        "is reminded as the due date nears and chased when it is overdue.",
        "submit": "Add the action",
    }

    def get_form_kwargs(self):
        items = selectors.items_of(self.get_meeting()).prefetch_related(None)
        return {**super().get_form_kwargs(), "items": items}

    def get_initial(self):
        return {"item": self.request.GET.get("item") or None}

    def perform(self, form):
        return services.add_action(
            user=self.request.user, meeting=self.get_meeting(), **form.cleaned_data
        )

    def get_success_message(self, action):
        return f"{action.reference} added to the action log ({action.source_label})"

    def get_success_url(self):
        return reverse("panel:meeting_actions", kwargs={"pk": self.get_meeting().pk})


class EscalateActionView(AccessLoggedMixin, ServiceFormView):
    """The Panel escalates an unfinished action to the Executive Group (the highlight report
    lists it)."""

    permission_required = CONDUCT_PANEL
    template_name = "panel/escalate.html"
    form_class = forms.EscalateForm
    success_message = "Action escalated: the highlight report lists it until it is finished"

    def access_logged_object(self):
        return self.get_action()

    def get_action(self):
        if not hasattr(self, "_action"):
            self._action = selectors.action_to_escalate(self.request.user, self.kwargs["pk"])
        return self._action

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_action()  # a 404 outside the gate, whatever the method
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.get_action(),
            overdue=self.get_action().is_overdue(),
            back_url=reverse("panel:action_log"),
            **kwargs,
        )

    def perform(self, form):
        return services.escalate_action(
            user=self.request.user, action=self.get_action(), reason=form.cleaned_data["reason"]
        )

    def get_success_url(self):
        return reverse("panel:action_log")


# --- Highlight reports to the Executive Group -------------------------------------------


class HighlightReportsView(ServiceView, TemplateView):
    """The issued highlight reports (the Executive reads them here); the drafts for those who
    write them."""

    permission_required = READ_HIGHLIGHT_REPORTS
    template_name = "panel/highlight_reports.html"

    def get_context_data(self, **kwargs):
        can_run = self.request.user.has_perm(RUN_PANEL)
        return super().get_context_data(
            issued=list(selectors.issued_reports()[:50]),
            drafts=list(selectors.draft_reports()[:50]) if can_run else [],
            can_run=can_run,
            in_panel=self.request.user.has_perm(VIEW_PANEL),
            **kwargs,
        )


class HighlightNewView(ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.HighlightReportForm
    extra_context = {
        "title": "Start a highlight report",
        "intro": "For one Executive Group meeting. Its figures are counted when it is issued, "
        "over the time since the last issued report.",
        "submit": "Save the draft",
    }

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("panel:highlight_reports"), **kwargs)

    def perform(self, form):
        return services.save_highlight_report(user=self.request.user, **form.cleaned_data)

    def get_success_message(self, report):
        return "Draft saved"

    def get_success_url(self):
        return reverse("panel:highlight_report", kwargs={"pk": self.result.pk})


class HighlightMixin:
    def get_report(self):
        if not hasattr(self, "_report"):
            self._report = selectors.highlight_report_for(self.kwargs["pk"])
        return self._report

    def report_url(self):
        return reverse("panel:highlight_report", kwargs={"pk": self.get_report().pk})

    def get_success_url(self):
        return self.report_url()


class HighlightReportView(HighlightMixin, ServiceView, TemplateView):
    """The draft, with its figures as they would be counted today, and its issued versions."""

    permission_required = RUN_PANEL
    template_name = "panel/highlight_report.html"

    def get_context_data(self, **kwargs):
        report = self.get_report()
        period = highlight.period_for(report)
        return super().get_context_data(
            report=report,
            preview=highlight.content(report, period),
            versions=list(selectors.versions_of(report)),
            **kwargs,
        )


class HighlightEditView(HighlightMixin, ServiceFormView):
    permission_required = RUN_PANEL
    template_name = "panel/form.html"
    form_class = forms.HighlightEditForm
    extra_context = {
        "title": "Edit the highlight report",
        "intro": "Versions already issued do not change: issue the report again to make a new "
        "version.",
        "submit": "Save the draft",
    }

    def get_initial(self):
        report = self.get_report()
        return {"version": report.version} | {
            name: getattr(report, name) for name in services.HIGHLIGHT_FIELDS
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=self.report_url(), **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.save_highlight_report(
            user=self.request.user,
            report=self.get_report(),
            expected_version=data.pop("version"),
            **data,
        )

    def get_success_message(self, report):
        return "Draft saved"


def _version_posted(request):
    posted = request.POST.get("version", "")
    return int(posted) if posted.isdigit() and len(posted) < 10 else None


class HighlightIssueView(HighlightMixin, ServiceActionView):
    permission_required = RUN_PANEL
    result = None

    def perform(self):
        self.result = services.issue_highlight_report(
            user=self.request.user,
            report=self.get_report(),
            expected_version=_version_posted(self.request),
        )
        return self.result

    def get_success_message(self, issued):
        return f"Version {issued.number} issued: its PDF is being made"

    def get_success_url(self):
        if self.result is not None:
            return reverse("panel:highlight_issued", kwargs={"pk": self.result.pk})
        return self.report_url()


class IssuedHighlightView(ServiceView, TemplateView):
    """An issued version, as it was issued: the Executive reads it here (references and
    pseudonyms only). Each reading is in the access log."""

    permission_required = READ_HIGHLIGHT_REPORTS
    template_name = "panel/highlight_issued.html"

    def get_issued(self):
        if not hasattr(self, "_issued"):
            self._issued = selectors.issued_report_for(self.kwargs["pk"])
        return self._issued

    def get(self, request, *args, **kwargs):
        issued = self.get_issued()
        record_access(
            request=request,
            obj=issued,
            action=AccessLog.Action.VIEW,
            description=f"{issued.title}, version {issued.number}",
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        issued = self.get_issued()
        latest = selectors.versions_of(issued.report).first()
        return super().get_context_data(
            issued=issued,
            report=issued.content,
            superseded_by=latest if latest.pk != issued.pk else None,
            can_run=self.request.user.has_perm(RUN_PANEL),
            **kwargs,
        )


class IssuedHighlightPdfView(FileRequestView):
    """The issued version's PDF, made in the background the first time and kept."""

    permission_required = READ_HIGHLIGHT_REPORTS
    file_kind = files.HIGHLIGHT_PDF
    heading = "Download the highlight report as a PDF"

    def get_issued(self):
        if not hasattr(self, "_issued"):
            self._issued = selectors.issued_report_for(self.kwargs["pk"])
        return self._issued

    def get_file_params(self):
        return {"issued": self.get_issued().pk}

    def describe_request(self):
        issued = self.get_issued()
        return [f"{issued.title}, version {issued.number}, as issued"]

    def get_back_url(self):
        return reverse("panel:highlight_issued", kwargs={"pk": self.get_issued().pk})
