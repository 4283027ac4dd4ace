from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from safeguarding.outbox import services as outbox

from .access import normalise_email
from .emails import PASSWORD_RESET
from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Enter a correct email address and password. After 5 wrong attempts the account "
            "is locked."
        ),
        "inactive": "This account has been closed. Contact the partnership team.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false"}
        )
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self):
        return normalise_email(self.cleaned_data.get("username"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=16,
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )


class GovukPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.org",
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Sent by the worker, so a slow mail server never holds up the page; the link is
        # written when it is sent and never stored (accounts/emails.py).
        outbox.queue_sign_in_email(recipient=context["user"], renderer=PASSWORD_RESET)


class GovukSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm the new password"


class PreferencesForm(forms.Form):
    reminder_preference = forms.ChoiceField(
        label="How do you want to get reminders about deadlines?",
        help_text="Escalations of overdue deadlines are always sent at once.",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to get reminders"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reminder_preference"].choices = User.ReminderPreference.choices
