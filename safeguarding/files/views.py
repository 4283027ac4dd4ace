"""Pages for generated files: watch one's progress and download it (each app asks for one
through its subclass of `mixins.FileRequestView`). Only the person who asked sees a file, and
every download goes through the visibility gate again and into the access log."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import USE_SERVICE
from safeguarding.audit.services import record_access
from safeguarding.web import open_stored

from . import selectors
from .building import subject_for
from .kinds import kind_named
from .models import GeneratedFile


class FileListView(ServiceView, TemplateView):
    permission_required = USE_SERVICE
    template_name = "files/list.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.files_of(self.request.user), 25).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page=page, files=page.object_list, **kwargs)


class FileStatusView(ServiceView, TemplateView):
    permission_required = USE_SERVICE
    template_name = "files/status.html"

    def get_context_data(self, **kwargs):
        generated = selectors.file_for(self.request.user, self.kwargs["pk"])
        return super().get_context_data(file=generated, **kwargs)


class FileStatusJsonView(ServiceView, View):
    """For the progress page's script: where the file has got to."""

    permission_required = USE_SERVICE

    def get(self, request, pk):
        generated = selectors.file_for(request.user, pk)
        return JsonResponse(
            {
                "status": generated.status,
                "label": generated.get_status_display(),
                "progress": generated.progress,
                "note": generated.progress_note,
                "error": generated.error,
                "download_url": reverse("files:download", kwargs={"pk": generated.pk})
                if generated.status == GeneratedFile.Status.READY
                else "",
            }
        )


class FileDownloadView(ServiceView, View):
    permission_required = USE_SERVICE

    def get(self, request, pk):
        generated = selectors.file_for(request.user, pk)
        if generated.status != GeneratedFile.Status.READY:
            raise Http404("The file is not ready")
        kind = kind_named(generated.kind)
        # The gate again: a person who has lost access since asking gets nothing.
        subject = subject_for(user=request.user, kind=kind, params=generated.params)
        handle = open_stored(generated.file)
        record_access(
            request=request,
            obj=subject,
            action=kind.action,
            description=generated.description or generated.title,
        )
        response = FileResponse(
            handle,
            content_type=generated.content_type,
            as_attachment=True,
            filename=generated.filename,
        )
        return response
