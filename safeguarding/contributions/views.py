from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, JsonResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from safeguarding import paging
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
from safeguarding.files.mixins import FileRequestView
from safeguarding.web import (
    REFUSALS,
    AccessLoggedMixin,
    ServiceActionView,
    ServiceFormView,
    open_stored,
    refusal_messages,
)

from . import chronology_page, files, selectors, services, sheets
from .forms import (
    MAX_ENTRY_ROWS,
    ChronologyFilterForm,
    ChronologyUploadForm,
    DocumentForm,
    EntryForm,
    NilReturnForm,
    ResponseForm,
    ReturnForm,
    SendRequestsForm,
    SubmitForm,
    entry_formset,
)
from .models import ChronologyUpload
from .sheet_reader import Problem, SheetRefused


class RequestListView(ServiceView, TemplateView):
    permission_required = VIEW_REQUESTS
    template_name = "contributions/request_list.html"

    # A page a person reads, not the agency's whole history (a large partnership's agencies
    # each have thousands of requests): the soonest due first, the rest a page away.
    PAGE_SIZE = 50

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = paging.Paginator(
            selectors.request_list(user),
            self.PAGE_SIZE,
            count=lambda: selectors.request_count(user),
        ).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page,
            requests=page.object_list,
            answers_for_agency=bool(user.agency_id) and user.has_perm(RESPOND_TO_REQUEST),
            **kwargs,
        )


class RequestMixin(AccessLoggedMixin, ServiceView):
    """A page about one request: it comes through the request gate or it is a 404."""

    def access_logged_object(self):
        return self.get_info_request()

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
        info = self.get_info_request()
        self.identifiers = selectors.identifiers_for(request.user, info)
        if self.identifiers is not None:
            # The child's identifying details, shown to the agency asked: a read of its own.
            record_access(
                request=request,
                obj=info.case,
                action=AccessLog.Action.VIEW,
                description=f"{info.case} identifying details shown to {info.agency} "
                f"({', '.join(self.identifiers.shown)})",
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        info = self.get_info_request()
        user = self.request.user
        answering = selectors.answers_for(user, info)
        can_review = selectors.can_review(user, info)
        return super().get_context_data(
            entries=selectors.entries_of(info),
            documents=selectors.documents_of(info),
            can_answer=answering and info.is_editable_by_agency,
            identifiers=getattr(self, "identifiers", None),
            can_review=can_review,
            uploads=selectors.upload_summary(info),
            can_download_template=services.may_download_template(user, info),
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
        handle = open_stored(document.file)
        record_access(
            request=request,
            obj=document,
            action=AccessLog.Action.DOWNLOAD,
            description=f"{document.original_name} ({document.case.reference}, {document.agency})",
        )
        response = FileResponse(
            handle,
            content_type=document.content_type,
            as_attachment=True,
            filename=document.original_name,
        )
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
        page = Paginator(selectors.shown(entries), 500).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            page=page,
            days=chronology_page.days_html(selectors.by_day(page)),
            query=query.urlencode(),
            **kwargs,
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


# --- Uploading a chronology spreadsheet -----------------------------------------------------


class UploadTemplateView(RequestMixin, View):
    """The chronology template for this request, made at once (it is small) and logged."""

    permission_required = VIEW_REQUESTS
    file_format = "xlsx"
    logs_own_access = True  # an export, more specific than "viewed the request"
    CONTENT_TYPES = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
    }

    def get(self, request, *args, **kwargs):
        info = self.get_info_request()
        if not services.may_download_template(request.user, info):
            raise PermissionDenied("Only the agency asked and the partnership team")
        build = sheets.template_xlsx if self.file_format == "xlsx" else sheets.template_csv
        content = build(info)
        record_access(
            request=request,
            obj=info,
            action=AccessLog.Action.EXPORT,
            description=f"Chronology template ({self.file_format.upper()}) for "
            f"{info.case.reference}, {info.agency}",
        )
        response = HttpResponse(content, content_type=self.CONTENT_TYPES[self.file_format])
        name = sheets.template_name(info, self.file_format)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


class UploadMixin(RequestMixin):
    """Pages about one upload: the request through its gate, the upload through the request,
    and only the agency asked (anyone else is refused, as the services would)."""

    permission_required = RESPOND_TO_REQUEST

    def dispatch(self, request, *args, **kwargs):
        if self.has_permission():
            info = self.get_info_request()  # 404 outside the gate
            if "upload_id" in self.kwargs:
                self.get_upload()  # 404 for another request's upload
            if not services.answers_for(request.user, info):
                raise PermissionDenied("Only the agency asked can upload its chronology")
        return super().dispatch(request, *args, **kwargs)

    def get_upload(self):
        if not hasattr(self, "_upload"):
            self._upload = selectors.upload_for(self.get_info_request(), self.kwargs["upload_id"])
        return self._upload

    def upload_url(self, upload):
        return reverse(
            "requests:upload_status", kwargs={"pk": upload.request_id, "upload_id": upload.pk}
        )

    def get_context_data(self, **kwargs):
        info = self.get_info_request()
        return super().get_context_data(
            uploads=selectors.upload_summary(info),
            max_rows=f"{sheets.MAX_ROWS:,}",
            period=sheets.period_text(info),
            **kwargs,
        )


def problems_context(problems, total, file_name):
    """What the pages show of a refused file: every problem kept, the first few in the error
    summary."""
    problems = [p if isinstance(p, Problem) else Problem.from_dict(p) for p in problems]
    shown = 20
    return {
        "problems": problems,
        "summary_problems": problems[:shown],
        "more_problems": max(0, total - shown),
        "problem_count": total,
        "unlisted_problems": max(0, total - len(problems)),
        "refused_name": file_name,
    }


def problems_message(total):
    return (
        f"The file has {total:,} problem{'s' if total != 1 else ''}. Nothing has been added: "
        "correct the file and upload it again"
    )


class UploadView(UploadMixin, ServiceFormView):
    """Choose a spreadsheet. A small one is checked at once: its problems here, by row and
    column, or on to its entries to check. A large one goes to its progress page."""

    template_name = "contributions/upload_form.html"
    form_class = ChronologyUploadForm

    def perform(self, form):
        upload = form.cleaned_data["file"]
        try:
            return services.upload_chronology(
                request=self.get_info_request(), user=self.request.user, upload=upload
            )
        except SheetRefused as refused:
            if refused.total == 1 and refused.problems[0].row is None:
                raise ValidationError({"file": refused.problems[0].message}) from refused
            self.refused = problems_context(refused.problems, refused.total, upload.name)
            raise ValidationError({"file": problems_message(refused.total)}) from refused

    def form_invalid(self, form):
        if form.non_field_errors():
            # A refused file's errors belong on the file field (the error summary links there).
            for message in form.errors.pop("__all__", []):
                form.add_error("file", message)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**getattr(self, "refused", {}), **kwargs)

    def get_success_url(self):
        return self.upload_url(self.result)


class UploadStatusView(UploadMixin, TemplateView):
    """One upload: its progress while the worker has it; its problems; its entries to check
    before they are added; or what became of it."""

    template_name = "contributions/upload.html"

    logs_own_access = True  # below, naming the upload

    def get(self, request, *args, **kwargs):
        upload = self.get_upload()
        record_access(
            request=request,
            obj=self.get_info_request(),
            action=AccessLog.Action.VIEW,
            # Not the file's name: a name may carry a child's name, and the log is a list.
            description=f"Chronology upload {upload.pk}, {upload.get_status_display().lower()} "
            f"({upload.case.reference}, {upload.agency})",
        )
        if upload.status == ChronologyUpload.Status.REFUSED:
            return self.refused_page(upload)
        return super().get(request, *args, **kwargs)

    def refused_page(self, upload):
        """The upload form again, with the file's problems, to upload a corrected file."""
        form = ChronologyUploadForm(data={}, files={})
        form.full_clean()
        form.errors.clear()
        form.add_error("file", problems_message(upload.problem_count))
        self.template_name = "contributions/upload_form.html"
        return self.render_to_response(
            self.get_context_data(
                form=form,
                **problems_context(upload.problems, upload.problem_count, upload.original_name),
            )
        )

    def get_context_data(self, **kwargs):
        upload = self.get_upload()
        context = {"upload": upload, "stalled": selectors.upload_stalled(upload)}
        if upload.status == ChronologyUpload.Status.CHECKED:
            page = Paginator(selectors.pending_entries(upload), 100).get_page(
                self.request.GET.get("page")
            )
            context.update(
                page=page,
                pending=page.object_list,
                replacing=selectors.replaced_by_adding(upload),
            )
        return super().get_context_data(**context, **kwargs)


class UploadStatusJsonView(UploadMixin, View):
    """For the progress page's script: where the check (or the adding) has got to. Nothing of
    the case or the file is in it, so its polling is not logged as a read."""

    logs_own_access = True

    def get(self, request, *args, **kwargs):
        upload = self.get_upload()
        return JsonResponse(
            {
                "status": upload.status,
                "label": upload.get_status_display(),
                "progress": upload.progress,
                "note": upload.progress_note,
                # Finished: the page is made again, showing the problems or the entries.
                "reload": not upload.is_working,
            }
        )


class UploadAddView(UploadMixin, ServiceActionView):
    def perform(self):
        self.result = services.add_uploaded_entries(
            upload=self.get_upload(), user=self.request.user
        )
        return self.result

    def get_success_message(self, upload):
        if upload.status != ChronologyUpload.Status.ADDED:
            return ""  # the worker is adding them: the progress page says so
        added = f"{upload.row_count:,} entr{'ies' if upload.row_count != 1 else 'y'} added"
        if upload.replaced_count:
            return f"{added}, replacing the {upload.replaced_count:,} from your last upload"
        return added

    def get_success_url(self):
        if self.result.status == ChronologyUpload.Status.ADDED:
            return self.detail_url()
        return self.upload_url(self.result)

    def get_refused_url(self):
        return self.upload_url(self.get_upload())


class UploadCancelView(UploadMixin, ServiceActionView):
    success_message = "Upload cancelled. Nothing from it was added."

    def perform(self):
        return services.cancel_upload(upload=self.get_upload(), user=self.request.user)

    def get_refused_url(self):
        return self.upload_url(self.get_upload())
