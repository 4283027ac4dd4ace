"""Signing in with an email address and password: Django's own backend, which reads the
signed-in person on every request with their agency beside them. Most pages show or filter by
the person's agency (the home page's caption, an agency's actions and requests), and read
apart it was a query of its own on each of them (docs/performance.md, "Twenty-second round")."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = get_user_model()._default_manager.select_related("agency").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
