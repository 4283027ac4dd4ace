"""The base every app's "ask for a file" page builds on. It lives here, not in views.py, so an
app's views import a base class rather than another app's views."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView

from . import services


class FileRequestView(ServiceView, TemplateView):
    """GET: what will be made, and a button. POST: ask for it, then its progress page.

    Subclasses name `file_kind` (registered in files.kinds), its permission, and give
    `get_file_params()` (what the kind needs to find its subject and data again) and
    `describe_request()` (lines telling the person what the file will hold)."""

    template_name = "files/request.html"
    file_kind = ""
    heading = ""

    def get_file_params(self):
        raise NotImplementedError

    def describe_request(self):
        return []

    def get_back_url(self):
        return reverse("home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            lines=self.describe_request(),
            back_url=self.get_back_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        generated = services.request_file(
            user=request.user, kind=self.file_kind, params=self.get_file_params()
        )
        return redirect("files:status", pk=generated.pk)
