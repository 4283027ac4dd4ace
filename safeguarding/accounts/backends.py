"""Signing in with an email address and password: Django's own backend, which reads the
signed-in person on every request with their agency and the names of their roles beside
them. Most pages show or filter by the person's agency (the home page's caption, an agency's
actions and requests), and every page asks their roles; read apart, each was a query of its
own on every page (docs/performance.md, "Twenty-second round")."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import CharField
from django.db.models.expressions import RawSQL

from .models import User

# Between two role names in the one string they are read as: the ASCII unit separator, which
# no role's name holds (accounts.roles).
ROLE_SEPARATOR = "\x1f"


def _role_names_sql():
    """The person's role names as one string, in SQL written once (a subquery built by the
    ORM cost more Python to compile on every request than the query it saves)."""
    joined = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    user_groups = User.groups.through._meta.db_table
    return RawSQL(
        f'SELECT {joined}(g."name", %s) FROM "{Group._meta.db_table}" g '
        f'INNER JOIN "{user_groups}" ug ON ug."group_id" = g."id" '
        f'WHERE ug."user_id" = "{User._meta.db_table}"."id"',
        (ROLE_SEPARATOR,),
        output_field=CharField(),
    )


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = (
                User._default_manager.select_related("agency")
                .annotate(role_names_joined=_role_names_sql())
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        # What User.role_names would otherwise ask in a query of its own.
        user._role_names = frozenset(
            filter(None, (user.role_names_joined or "").split(ROLE_SEPARATOR))
        )
        return user
