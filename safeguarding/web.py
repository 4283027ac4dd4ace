"""The views every app's pages are made of. A page runs a service; whatever the service refuses
comes back to the person as a GOV.UK error (never a 500), and nothing is saved half-way
(services are atomic).

- ServiceFormView: a form page. `perform(form)` calls the service; on success, the message and
  the page to go to next; on refusal, the form again with an error summary.
- ServiceActionView: a button (POST only). `perform()` calls the service; on success or refusal,
  a message and back to the page the button was on.
"""

import logging
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.forms.formsets import BaseFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView

from .accounts.access import ServiceView
from .audit.models import AccessLog, FormSubmission
from .audit.services import record_access
from .forms import CONCURRENT_EDIT_MESSAGE
from .workflow import ConcurrentEdit, NotAllowed

logger = logging.getLogger(__name__)


def open_stored(field_file):
    """A stored file opened for its download, or the service's "not found" page when storage
    has lost it (a restore that missed the uploads, say): never a 500, and nothing recorded
    as downloaded. Open it before `record_access`. The loss is logged by the file's stored
    name, which is random and says nothing of the child."""
    try:
        return field_file.open("rb")
    except FileNotFoundError:
        logger.error("A stored file is missing: %s", field_file.name)
        raise Http404("The file is missing") from None


class AccessLoggedMixin:
    """Every page that shows a case's data leaves a row in the access log when it is shown:
    the page mixins about one case (CaseMixin) and one request (RequestMixin) are built on
    this, so a new page cannot forget it. A view that logs a more specific read itself (a PDF,
    a download) sets `logs_own_access = True`."""

    logs_own_access = False

    def access_logged_object(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and not self.logs_own_access:
            record_access(
                request=request, obj=self.access_logged_object(), action=AccessLog.Action.VIEW
            )
        return response


def add_validation_errors(form, error: ValidationError):
    """Put a model/service ValidationError on the form's fields (or the whole form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def refusal_messages(error):
    if isinstance(error, ConcurrentEdit):
        return [CONCURRENT_EDIT_MESSAGE]
    return list(getattr(error, "messages", None) or [str(error)])


# What a service raises when it will not do what was asked (PermissionDenied is not here: it
# is a 403, handled by Django).
REFUSALS = (ConcurrentEdit, NotAllowed, ValidationError)


class ServiceFormMixin:
    """For form views: run the service and turn its refusal into form errors."""

    def run_service(self, form, action):
        """Returns (result, None), or (None, the invalid-form response)."""
        try:
            return action(), None
        except ConcurrentEdit:
            form.add_error(None, CONCURRENT_EDIT_MESSAGE)
        except ValidationError as error:  # NotAllowed is one
            add_validation_errors(form, error)
        return None, self.form_invalid(form)


FORM_TOKEN = "form_token"
ALREADY_SAVED = "This was already saved: it has not been saved a second time."


class _AlreadySubmitted(Exception):
    def __init__(self, url):
        self.url = url


def _token_field():
    return forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=uuid.uuid4().hex
    )


class TokenForm(forms.Form):
    """The one-time token on its own, for a page whose form is a formset (each of its rows is
    a form, none of them the page's): the template renders `form.token_form`'s hidden field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FORM_TOKEN] = _token_field()


class ServiceFormView(ServiceFormMixin, ServiceView, FormView):
    """A form page that runs one service.

    Each form carries a one-time token: sent twice (a double click, a resend after a slow
    page), it is saved once and the second sending is shown the first result. The token is
    recorded in the same transaction as the service's change, so two sendings at the same
    moment cannot both save."""

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self, result):
        return self.success_message

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if isinstance(form, BaseFormSet):
            form.token_form = TokenForm(data=form.data if form.is_bound else None)
        else:
            form.fields[FORM_TOKEN] = _token_field()
        return form

    @staticmethod
    def _pop_token(form):
        holder = getattr(form, "token_form", None)
        if holder is not None:
            return holder.cleaned_data.get(FORM_TOKEN, "") if holder.is_valid() else ""
        return form.cleaned_data.pop(FORM_TOKEN, "")

    def form_valid(self, form):
        token = self._pop_token(form)
        user = self.request.user
        earlier = FormSubmission.objects.filter(token=token, user=user).first() if token else None
        if earlier is not None:
            messages.info(self.request, ALREADY_SAVED)
            return redirect(earlier.result_url)
        try:
            with transaction.atomic():
                result, refused = self.run_service(form, lambda: self.perform(form))
                if refused:
                    return refused
                self.result = result
                url = self.get_success_url()
                if token:
                    self._record(token, url)
        except _AlreadySubmitted as already:
            messages.info(self.request, ALREADY_SAVED)
            return redirect(already.url)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(url)

    def _record(self, token, url):
        try:
            with transaction.atomic():
                FormSubmission.objects.create(
                    token=token,
                    user=self.request.user,
                    path=self.request.path[:500],
                    result_url=str(url)[:500],
                )
        except IntegrityError:
            # The same form, sent at the same moment, was saved first: undo this one.
            earlier = FormSubmission.objects.filter(token=token).first()
            raise _AlreadySubmitted(earlier.result_url if earlier else self.request.path) from None


class ServiceActionView(ServiceView, View):
    """A button that runs one service (POST only)."""

    http_method_names = ["post"]
    success_message = ""

    def perform(self):
        raise NotImplementedError

    def get_success_message(self, result):
        return self.success_message

    def get_success_url(self):
        raise NotImplementedError

    def get_refused_url(self):
        return self.get_success_url()

    def post(self, request, *args, **kwargs):
        try:
            result = self.perform()
        except REFUSALS as error:
            messages.error(request, " ".join(refusal_messages(error)))
            return redirect(self.get_refused_url())
        message = self.get_success_message(result)
        if message:
            messages.success(request, message)
        return redirect(self.get_success_url())
