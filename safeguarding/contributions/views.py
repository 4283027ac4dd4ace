import csv

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.audit.models import AccessLog
from safeguarding.audit.services import record_access
from safeguarding.cases.views import CaseMixin
from safeguarding.web import ServiceFormMixin
from safeguarding.workflow import NotAllowed

from . import selectors, services
from .forms import (
    ChronologyFilterForm,
    DocumentForm,
    EntryForm,
    ResponseForm,
    ReturnForm,
    SendRequestsForm,
)

VIEW = "contributions.view_informationrequest"
RESPOND = "contributions.respond_to_request"
REVIEW = "contributions.review_response"


class RequestListView(ServiceView, TemplateView):
    permission_required = VIEW
    template_name = "contributions/request_list.html"

    def get_context_data(self, **kwargs):
        requests = (
            selectors.visible_requests(self.request.user)
            .select_related("case", "agency")
            .order_by("status", "due_date", "id")[:500]
        )
        return super().get_context_data(requests=requests, **kwargs)


class RequestMixin(ServiceFormMixin, ServiceView):
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

    def get_context_data(self, **kwargs):
        info = self.get_info_request()
        return super().get_context_data(
            info=info,
            summary=selectors.minimum_case_summary(info),
            back_url=self.detail_url(),
            **kwargs,
        )

    def refused(self, error):
        messages.error(self.request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(self.detail_url())


class RequestDetailView(RequestMixin, TemplateView):
    permission_required = VIEW
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
            entries=list(info.entries.all()),
            documents=list(info.documents.all()),
            can_answer=answering and info.is_editable_by_agency,
            can_review=can_review,
            # The PDEO's "chase now" for a request still waiting for the agency.
            chase_deadline=selectors.open_deadline_of(info)
            if can_review and user.has_perm("cases.run_cases")
            else None,
            **kwargs,
        )


class AnswerMixin(RequestMixin):
    permission_required = RESPOND


class ResponseEditView(AnswerMixin, FormView):
    template_name = "contributions/response_form.html"
    form_class = ResponseForm

    def get_initial(self):
        info = self.get_info_request()
        return {"version": info.version, **{f: getattr(info, f) for f in services.RESPONSE_FIELDS}}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        _, problem = self.run_service(
            form,
            lambda: services.save_response(
                request=self.get_info_request(),
                user=self.request.user,
                expected_version=version,
                **data,
            ),
        )
        if problem:
            return problem
        messages.success(self.request, "Draft saved. Submit it when it is ready.")
        return redirect(self.detail_url())


class EntryAddView(AnswerMixin, FormView):
    template_name = "contributions/entry_form.html"
    form_class = EntryForm

    def form_valid(self, form):
        _, problem = self.run_service(
            form,
            lambda: services.add_entry(
                request=self.get_info_request(), user=self.request.user, **form.cleaned_data
            ),
        )
        if problem:
            return problem
        messages.success(self.request, "Chronology entry added")
        return redirect(self.detail_url())


class EntryEditView(AnswerMixin, FormView):
    template_name = "contributions/entry_form.html"
    form_class = EntryForm

    def get_entry(self):
        return selectors.entry_for(
            self.request.user, self.get_info_request(), self.kwargs["entry_id"]
        )

    def get_initial(self):
        entry = self.get_entry()
        return {
            f: getattr(entry, f) for f in ("date", "time", "what_happened", "who", "significance")
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.get_entry(), **kwargs)

    def form_valid(self, form):
        _, problem = self.run_service(
            form,
            lambda: services.update_entry(
                entry=self.get_entry(), user=self.request.user, **form.cleaned_data
            ),
        )
        if problem:
            return problem
        messages.success(self.request, "Chronology entry saved")
        return redirect(self.detail_url())


class EntryDeleteView(AnswerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        entry = selectors.entry_for(request.user, self.get_info_request(), kwargs["entry_id"])
        try:
            services.delete_entry(entry=entry, user=request.user)
        except NotAllowed as error:
            return self.refused(error)
        messages.success(request, "Chronology entry removed")
        return redirect(self.detail_url())


class DocumentAddView(AnswerMixin, FormView):
    template_name = "contributions/document_form.html"
    form_class = DocumentForm

    def form_valid(self, form):
        _, problem = self.run_service(
            form,
            lambda: services.add_document(
                request=self.get_info_request(),
                user=self.request.user,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            ),
        )
        if problem:
            return problem
        messages.success(self.request, "Document uploaded")
        return redirect(self.detail_url())

    def form_invalid(self, form):
        if "file" in form.errors or form.non_field_errors():
            # A refused file's errors belong on the file field (the error summary links there).
            errors = form.errors.pop("__all__", [])
            for message in errors:
                form.add_error("file", message)
        return super().form_invalid(form)


class DocumentDeleteView(AnswerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        document = selectors.document_for(request.user, kwargs["document_id"])
        if document.request_id != self.get_info_request().pk:
            from django.http import Http404

            raise Http404("No such document")
        try:
            services.delete_document(document=document, user=request.user)
        except NotAllowed as error:
            return self.refused(error)
        messages.success(request, "Document removed")
        return redirect(self.detail_url())


class DocumentDownloadView(ServiceView, View):
    """Only through the request gate, and every download is logged."""

    permission_required = VIEW

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


class SubmitView(AnswerMixin, TemplateView):
    """Check your answers, then submit."""

    template_name = "contributions/submit.html"

    def get_context_data(self, **kwargs):
        info = self.get_info_request()
        return super().get_context_data(
            entries=list(info.entries.all()), documents=list(info.documents.all()), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            services.submit_response(request=self.get_info_request(), user=request.user)
        except NotAllowed as error:
            return self.refused(error)
        messages.success(request, "Your agency's response has been submitted")
        return redirect(self.detail_url())


class AcceptView(RequestMixin, View):
    permission_required = REVIEW
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.accept_response(request=self.get_info_request(), user=request.user)
        except NotAllowed as error:
            return self.refused(error)
        messages.success(request, "Response accepted. It can no longer be changed.")
        return redirect(self.detail_url())


class ReturnView(RequestMixin, FormView):
    permission_required = REVIEW
    template_name = "contributions/return_form.html"
    form_class = ReturnForm

    def form_valid(self, form):
        try:
            services.return_response(
                request=self.get_info_request(),
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except NotAllowed as error:
            return self.refused(error)
        messages.success(self.request, "Response returned to the agency for amendment")
        return redirect(self.detail_url())


class WithdrawView(RequestMixin, View):
    permission_required = REVIEW
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.withdraw_request(request=self.get_info_request(), user=request.user)
        except NotAllowed as error:
            return self.refused(error)
        messages.success(request, "Request withdrawn")
        return redirect(self.detail_url())


class SendRequestsView(CaseMixin, FormView):
    permission_required = REVIEW
    template_name = "contributions/send_form.html"
    form_class = SendRequestsForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(default_due=services.default_due_date(), **kwargs)

    def form_valid(self, form):
        made, refused = self.run_service(
            form,
            lambda: services.send_requests(
                case=self.get_case(), user=self.request.user, **form.cleaned_data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, f"{len(made)} request{'s' if len(made) != 1 else ''} sent")
        return redirect(self.case_url())


class ChronologyMixin(CaseMixin):
    permission_required = "cases.view_case"

    def filtered(self):
        case = self.get_case()
        agencies = case.information_requests.values("agency")
        from safeguarding.accounts.models import Agency

        form = ChronologyFilterForm(
            self.request.GET or None, agencies=Agency.objects.filter(pk__in=agencies)
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
        from django.core.paginator import Paginator

        form, entries = self.filtered()
        page = Paginator(entries, 500).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form, page=page, days=selectors.by_day(page), query=query.urlencode(), **kwargs
        )


class ChronologyCsvView(ChronologyMixin, View):
    def get(self, request, *args, **kwargs):
        _, entries = self.filtered()
        case = self.get_case()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{case.reference}-chronology.csv"'
        writer = csv.writer(response)
        writer.writerow(["Date", "Time", "Agency", "What happened", "Who", "Significance"])
        count = 0
        for entry in entries.iterator(chunk_size=2000):
            writer.writerow(
                [
                    entry.date.isoformat(),
                    entry.time or "",
                    entry.agency.name,
                    entry.what_happened,
                    entry.who,
                    entry.significance,
                ]
            )
            count += 1
        record_access(
            request=request,
            obj=case,
            action=AccessLog.Action.EXPORT,
            description=f"{case} integrated chronology CSV, {count} entries",
        )
        return response


class ChronologyPdfView(ChronologyMixin, View):
    def get(self, request, *args, **kwargs):
        from safeguarding.documents import render_pdf

        _, entries = self.filtered()
        case = self.get_case()
        pdf = render_pdf(
            "contributions/chronology_pdf.html",
            {
                "case": case,
                "days": selectors.by_day(entries),
                "generated": timezone.now(),
                "title": f"Integrated chronology – {case.reference}",
            },
        )
        record_access(
            request=request,
            obj=case,
            action=AccessLog.Action.PDF,
            description=f"{case} integrated chronology PDF",
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{case.reference}-chronology.pdf"'
        return response
