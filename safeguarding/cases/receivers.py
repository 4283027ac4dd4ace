"""Who leads which case changes: the kept answer to "which cases does nobody lead" is
forgotten (selectors.cases_nobody_leads). Connected in CasesConfig.ready."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from .models import Case, CaseTeamMember
from .selectors import forget_cases_nobody_leads


def team_changed(sender, **kwargs):
    """A member joined, left or changed role: any of them may have been a case lead."""
    forget_cases_nobody_leads()


def case_saved(sender, instance, created, **kwargs):
    """A new case has no lead until one is added."""
    if created:
        forget_cases_nobody_leads()


def person_saved(sender, instance, created, update_fields=None, **kwargs):
    """An account switched on or off: its cases are led, or no longer. A save of named fields
    that leaves `is_active` alone (signing in writes `last_login`) changes nothing here."""
    if update_fields is None or "is_active" in update_fields:
        forget_cases_nobody_leads()


def connect():
    post_save.connect(team_changed, sender=CaseTeamMember, dispatch_uid="cases.team_saved")
    post_delete.connect(team_changed, sender=CaseTeamMember, dispatch_uid="cases.team_deleted")
    post_save.connect(case_saved, sender=Case, dispatch_uid="cases.case_saved")
    post_save.connect(person_saved, sender=get_user_model(), dispatch_uid="cases.person_saved")
