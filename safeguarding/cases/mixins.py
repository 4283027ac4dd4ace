"""What every page about one case is built on, in any app."""

from django.urls import reverse

from safeguarding.accounts.access import ServiceView
from safeguarding.web import AccessLoggedMixin

from . import selectors


class CaseMixin(AccessLoggedMixin, ServiceView):
    """A page about one case: the case comes through the visibility gate or it is a 404.

    By default the person must be allowed to read the case (free text, files: see
    Case.objects.readable_by); a page that shows only its reference, pseudonym and status sets
    `read_case = False`."""

    read_case = True

    def dispatch(self, request, *args, **kwargs):
        # The gate before anything else (even "method not allowed"): outside it, a 404.
        if self.has_permission():
            self.get_case()
        return super().dispatch(request, *args, **kwargs)

    def access_logged_object(self):
        return self.get_case()

    def get_case(self):
        if not hasattr(self, "_case"):
            self._case = selectors.case_for(
                self.request.user, self.kwargs["reference"], read=self.read_case
            )
        return self._case

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.get_case(), **kwargs)

    def case_url(self):
        return reverse("cases:detail", kwargs={"reference": self.get_case().reference})

    def get_success_url(self):
        return self.case_url()
