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


class StageRecordMixin(CaseMixin):
    """A page about a case's record in one stage (its rapid review, its local review): the
    record found once through the stage's selector, and every form returning to its page.

    Subclasses name `review_for` (a selector: case -> record, or a 404) and `review_url_name`."""

    review_for = None
    review_url_name = ""

    def get_review(self):
        if not hasattr(self, "_review"):
            self._review = type(self).review_for(self.get_case())
        return self._review

    def review_url(self):
        return reverse(self.review_url_name, kwargs={"reference": self.get_case().reference})

    def get_success_url(self):
        return self.review_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            review=self.get_review(), back_url=self.review_url(), **kwargs
        )
