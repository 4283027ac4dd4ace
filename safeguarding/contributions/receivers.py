"""Who can answer for which agency changes: the kept answer to "which agencies can nobody
answer for" is forgotten (selectors.agencies_nobody_answers_for). Connected in
ContributionsConfig.ready."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save

from safeguarding.accounts.models import Agency

from .selectors import forget_agencies_nobody_answers_for

# A save of named fields that leaves these alone (signing in writes `last_login`) changes
# nothing here.
_ANSWERING_FIELDS = {"is_active", "agency"}


def person_saved(sender, instance, created, update_fields=None, **kwargs):
    """An account made, switched on or off, or moved to another agency."""
    if update_fields is None or _ANSWERING_FIELDS & set(update_fields):
        forget_agencies_nobody_answers_for()


def agency_saved(sender, instance, created, **kwargs):
    """A new agency has nobody until someone there is given an account. (Accounts are never
    deleted, only switched off: their security events hold them. A deleted agency left in the
    kept list matches no request.)"""
    if created:
        forget_agencies_nobody_answers_for()


def roles_changed(sender, action, **kwargs):
    """An account given or relieved of a role (the contributor's among them)."""
    if action in ("post_add", "post_remove", "post_clear"):
        forget_agencies_nobody_answers_for()


def connect():
    person = get_user_model()
    post_save.connect(person_saved, sender=person, dispatch_uid="contributions.person_saved")
    post_save.connect(agency_saved, sender=Agency, dispatch_uid="contributions.agency_saved")
    m2m_changed.connect(
        roles_changed, sender=person.groups.through, dispatch_uid="contributions.roles_changed"
    )
