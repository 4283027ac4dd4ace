"""Signing in with an email address and password: Django's own backend, which reads the
signed-in person on every request with their agency and the names of their roles beside
them. Most pages show or filter by the person's agency (the home page's caption, an agency's
actions and requests), and every page asks their roles; read apart, each was a query of its
own on every page (docs/performance.md, "Twenty-second round")."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value

# Between two role names in the one string they are read as: the ASCII unit separator, which
# no role's name holds (accounts.roles).
ROLE_SEPARATOR = "\x1f"


class JoinedText(Aggregate):
    """The group's texts in one string: PostgreSQL's string_agg, SQLite's group_concat."""

    function = "STRING_AGG"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _role_names_of_outer_person():
    return Subquery(
        Group.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(names=JoinedText("name", Value(ROLE_SEPARATOR)))
        .values("names")
    )


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = (
                get_user_model()
                ._default_manager.select_related("agency")
                .annotate(role_names_joined=_role_names_of_outer_person())
                .get(pk=user_id)
            )
        except get_user_model().DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        # What User.role_names would otherwise ask in a query of its own.
        user._role_names = frozenset(
            filter(None, (user.role_names_joined or "").split(ROLE_SEPARATOR))
        )
        return user
