"""Helpers every app's views share: turning a service's refusal into form errors."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .forms import CONCURRENT_EDIT_MESSAGE
from .workflow import ConcurrentEdit, NotAllowed


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


class ServiceFormMixin:
    """For form views: run the service; whatever it refuses comes back as form errors (a GOV.UK
    error summary), never a 500, and nothing is saved half-way (services are atomic)."""

    def run_service(self, form, action):
        """Returns (result, None), or (None, the invalid-form response)."""
        try:
            return action(), None
        except ConcurrentEdit:
            form.add_error(None, CONCURRENT_EDIT_MESSAGE)
        except NotAllowed as error:
            for message in error.messages:
                form.add_error(None, message)
        except ValidationError as error:
            add_validation_errors(form, error)
        return None, self.form_invalid(form)
