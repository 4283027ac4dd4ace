from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import (
    RESPOND_TO_REQUEST,
    REVIEW_RESPONSE,
    RUN_CASES,
    VIEW_CASE,
    VIEW_REQUESTS,
)
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.cases.mixins import CaseMixin
from safeguarding.files.views import FileRequestView
from safeguarding.web import REFUSALS, ServiceActionView, ServiceFormView, refusal_messages

from . import files, selectors, services
from .forms import (
    MAX_ENTRY_ROWS,
    ChronologyFilterForm,
    DocumentForm,
    EntryForm,
    NilReturnForm,
    ResponseForm,
    ReturnForm,
    SendRequestsForm,
    SubmitForm,
    entry_formset,
)


class RequestListView(ServiceView, TemplateView):
    permission_required = VIEW_REQUESTS
    template_name = "contributions/request_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            requests=selectors.request_list(user)[:500],
            answers_for_agency=bool(user.agency_id) and user.has_perm(RESPOND_TO_REQUEST),
            **kwargs,
        )


class RequestMixin(ServiceView):
    """A page about one request: it comes through the request gate or it is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            self.get_info_request()  # outside the gate: 404, whatever the method
        return super().dispatch(request, *args, **kwargs)

    def get_info_request(self):
        if not hasattr(self, "_info_request"):
            self._info_request = selectors.request_for(self.request.user, self.kwargs["pk"])
        return self._info_request

    def detail_url(self):
        return reverse("requests:detail", kwargs={"pk": self.get_info_request().pk})

    def get_success_url(self):
        return self.detail_url()

    def get_context_data(self, **kwargs):
        info = self.get_info_request()
        return super().get_context_data(
            info=info,
            summary=selectors.minimum_case_summary(info),
            back_url=self.detail_url(),
            **kwargs,
        )


class RequestDetailView(RequestMixin, TemplateView):
    permission_required = VIEW_REQUESTS
    template_name = "contributions/request_detail.html"

    def get(self, request, *args, **kwargs):
        record_access(request=request, obj=self.get_info_request(), action=AccessLog.Action.VIEW)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        info = self.get_info_request()
        user = self.request.user
        answering = services.answers_for(user, info)
        can_review = selectors.can_review(user, info)
        return super().get_context_data(
            entries=selectors.entries_of(info),
            documents=selectors.documents_of(info),
            can_answer=answering and info.is_editable_by_agency,
            can_review=can_review,
            # The PDEO's "chase now" for a request still waiting for the agency.
            chase_deadline=selectors.open_deadline_of(info)
            if can_review and user.has_perm(RUN_CASES)
            else None,
            nobody_to_answer=can_review
            and bool(selectors.agencies_without_contributors([info.agency_id])),
            **kwargs,
        )


class ResponseEditView(RequestMixin, ServiceFormView):
    permission_required = RESPOND_TO_REQUEST
    template_name = "contributions/response_form.html"
    form_class = ResponseForm
    success_message = "Draft saved. Submit it when it is ready."

    def get_initial(self):
        info = self.get_info_request()
        return {"version": info.version, **{f: getattr(info, f) for f in services.RESPONSE_FIELDS}}

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.save_response(
            request=self.get_info_request(),
            user=self.request.user,
            expected_version=version,
            **data,
        )


class EntryAddView(RequestMixin, ServiceFormView):
    """Chronology entries, several at a time on one page (a formset): blank rows are left
    out, each row's errors are its own, and all are saved or none."""

    permission_required = RESPOND_TO_REQUEST
    template_name = "contributions/entries_form.html"
    prefix = "entries"
    ADD_MORE = "add_more"

    def rows(self):
        value = self.request.GET.get("rows", "")
        return int(value) if value.isascii() and value.isdigit() and len(value) < 3 else 5

    def get_form_class(self):
        return entry_formset(rows=self.rows())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            more_rows=min(self.rows() + 5, MAX_ENTRY_ROWS), max_rows=MAX_ENTRY_ROWS, **kwargs
        )

    def run_service(self, form, action):
        try:
            return action(), None
        except REFUSALS as error:
            form.non_form_errors().extend(refusal_messages(error))
            return None, self.form_invalid(form)

    def perform(self, formset):
        return services.add_entries(
            request=self.get_info_request(), user=self.request.user, entries=formset.entries()
        )

    def get_success_message(self, made):
        return f"{len(made)} chronology entr{'y' if len(made) == 1 else 'ies'} added"

    def get_success_url(self):
        if self.ADD_MORE in self.request.POST:
            return reverse("requests:entry_add", kwargs={"pk": self.get_info_request().pk})
        return self.detail_url()


class EntryEditView(RequestMixin, ServiceFormView):
    permission_required = RESPOND_TO_REQUEST
    template_name = "contributions/entry_form.html"
    form_class = EntryForm
    success_message = "Chronology entry saved"

    def get_entry(self):
        return selectors.entry_for(
            self.request.user, self.get_info_request(), self.kwargs["entry_id"]
        )

    def get_initial(self):
        entry = self.get_entry()
        return {f: getattr(entry, f) for f in EntryForm.FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.get_entry(), **kwargs)

    def perform(self, form):
        return services.update_entry(
            entry=self.get_entry(), user=self.request.user, **form.cleaned_data
        )


class EntryDeleteView(RequestMixin, ServiceActionView):
    permission_required = RESPOND_TO_REQUEST
    success_message = "Chronology entry removed"

    def perform(self):
        entry = selectors.entry_for(
            self.request.user, self.get_info_request(), self.kwargs["entry_id"]
        )
        return services.delete_entry(entry=entry, user=self.request.user)


class DocumentAddView(RequestMixin, ServiceFormView):
    permission_required = RESPOND_TO_REQUEST
    template_name = "contributions/document_form.html"
    form_class = DocumentForm
    success_message = "Document uploaded"

    def perform(self, form):
        return services.add_document(
            request=self.get_info_request(),
            user=self.request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )

    def form_invalid(self, form):
        if "file" in form.errors or form.non_field_errors():
            # A refused file's errors belong on the file field (the error summary links there).
            errors = form.errors.pop("__all__", [])
            for message in errors:
                form.add_error("file", message)
        return super().form_invalid(form)


class DocumentDeleteView(RequestMixin, ServiceActionView):
    permission_required = RESPOND_TO_REQUEST
    success_message = "Document removed"

    def perform(self):
        document = selectors.document_of_request(
            self.request.user, self.get_info_request(), self.kwargs["document_id"]
        )
        return services.delete_document(document=document, user=self.request.user)


class DocumentDownloadView(ServiceView, View):
    """Only through the request gate, and every download is logged."""

    permission_required = VIEW_REQUESTS

    def get(self, request, pk):
        document = selectors.document_for(request.user, pk)
        record_access(
            request=request,
            obj=document,
            action=AccessLog.Action.DOWNLOAD,
            description=f"{document.original_name} ({document.case.reference}, {document.agency})",
        )
        response = FileResponse(
            document.file.open("rb"),
            content_type=document.content_type,
            as_attachment=True,
            filename=document.original_name,
        )
        response["Cache-Control"] = "private, no-store"
        return response


class SubmitView(RequestMixin, ServiceFormView):
    """Check your answers, then submit. A response that cannot be submitted yet (no summary)
    comes back as a GOV.UK error summary on this page, pointing at what is missing."""

    permission_required = RESPOND_TO_REQUEST
    template_name = "contributions/submit.html"
    form_class = SubmitForm
    success_message = "Your agency's response has been submitted"

    def get_context_data(self, **kwargs):
        info = self.get_info_request()
        return super().get_context_data(
            entries=selectors.entries_of(info), documents=selectors.documents_of(info), **kwargs
        )

    def perform(self, form):
        return services.submit_response(request=self.get_info_request(), user=self.request.user)


class AcceptView(RequestMixin, ServiceActionView):
    permission_required = REVIEW_RESPONSE
    success_message = "Response accepted. It can no longer be changed."

    def perform(self):
        return services.accept_response(request=self.get_info_request(), user=self.request.user)


class ReturnView(RequestMixin, ServiceFormView):
    permission_required = REVIEW_RESPONSE
    template_name = "contributions/return_form.html"
    form_class = ReturnForm
    success_message = "Response returned to the agency for amendment"

    def perform(self, form):
        return services.return_response(
            request=self.get_info_request(),
            user=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class WithdrawView(RequestMixin, ServiceActionView):
    permission_required = REVIEW_RESPONSE
    success_message = "Request withdrawn"

    def perform(self):
        return services.withdraw_request(request=self.get_info_request(), user=self.request.user)


class SendRequestsView(CaseMixin, ServiceFormView):
    permission_required = REVIEW_RESPONSE
    template_name = "contributions/send_form.html"
    form_class = SendRequestsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unanswerable": self.unanswerable()}

    def unanswerable(self):
        """Agencies nobody can answer for (no active contributor account): warned about before
        and after sending."""
        if not hasattr(self, "_unanswerable"):
            self._unanswerable = selectors.agencies_without_contributors(
                SendRequestsForm.base_fields["agencies"].queryset.values_list("pk", flat=True)
            )
        return self._unanswerable

    def get_context_data(self, **kwargs):
        return super().get_context_data(default_due=services.default_due_date(), **kwargs)

    def perform(self, form):
        return services.send_requests(
            case=self.get_case(), user=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, made):
        return f"{len(made)} request{'s' if len(made) != 1 else ''} sent"

    def form_valid(self, form):
        response = super().form_valid(form)
        made = getattr(self, "result", None) or []  # set only when the requests were sent
        unanswered = [r.agency.name for r in made if r.agency_id in self.unanswerable()]
        if unanswered:
            messages.warning(self.request, services.nobody_to_answer_message(unanswered))
        return response


class ChronologyMixin(CaseMixin):
    permission_required = VIEW_CASE

    def filtered(self):
        case = self.get_case()
        form = ChronologyFilterForm(
            self.request.GET or None, agencies=selectors.agencies_asked(case)
        )
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        entries = selectors.integrated_chronology(
            case,
            agency=filters.get("agency"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
        return form, entries


class ChronologyView(ChronologyMixin, TemplateView):
    template_name = "contributions/chronology.html"

    def get_context_data(self, **kwargs):
        form, entries = self.filtered()
        page = Paginator(entries, 500).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form, page=page, days=selectors.by_day(page), query=query.urlencode(), **kwargs
        )


class ChronologyFileView(ChronologyMixin, FileRequestView):
    """Ask for the chronology, as filtered on its page, as a file made in the background."""

    def get_file_params(self):
        form, _ = self.filtered()
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return files.params_for(self.get_case(), filters)

    def describe_request(self):
        return files.describe(self.get_file_params())

    def get_back_url(self):
        query = self.request.GET.urlencode()
        url = reverse("requests:chronology", kwargs={"reference": self.get_case().reference})
        return url + (f"?{query}" if query else "")


class ChronologyCsvView(ChronologyFileView):
    file_kind = files.CHRONOLOGY_CSV
    heading = "Download the integrated chronology as CSV"


class ChronologyPdfView(ChronologyFileView):
    file_kind = files.CHRONOLOGY_PDF
    heading = "Download the integrated chronology as a PDF"


class NilReturnView(RequestMixin, ServiceFormView):
    """A nil return in one step: no involvement with this child or family, submitted."""

    permission_required = RESPOND_TO_REQUEST
    template_name = "contributions/nil_return.html"
    form_class = NilReturnForm
    success_message = "Your nil return has been submitted"

    def perform(self, form):
        return services.submit_nil_return(
            request=self.get_info_request(),
            user=self.request.user,
            records_checked=form.cleaned_data["records_checked"],
        )
