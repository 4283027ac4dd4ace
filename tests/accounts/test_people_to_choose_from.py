"""The lists of people that forms offer (a case team, a Panel member and their deputy, an
action's owner): active people only, by name, read with only what an option shows."""

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role

from ..factories import UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db


def test_active_people_by_name_with_only_what_an_option_shows(agency):
    UserFactory(full_name="Zoe Able", agency=agency)
    UserFactory(full_name="Adam Zed", agency=agency)
    UserFactory(full_name="Left Already", agency=agency, is_active=False)
    people = list(User.objects.to_choose_from())
    assert [p.full_name for p in people] == ["Adam Zed", "Zoe Able"]
    # The password, dates and flags stay in the database; a chosen person's agency is there.
    assert {"password", "last_login", "date_joined", "job_title"} <= people[0].get_deferred_fields()
    assert people[0].agency_id == agency.pk and str(people[0]) == "Adam Zed"


def test_the_panel_member_form_lists_people_by_name(make_user, agency):
    pdeo = make_user(Role.PDEO)
    UserFactory(full_name='Ann "O\'Neil" & <Co>', agency=agency)
    UserFactory(full_name="Gone Away", agency=agency, is_active=False)
    html = verified_client(Client(), pdeo).get(reverse("panel:member_add")).content.decode()
    assert "Ann &quot;O&#x27;Neil&quot; &amp; &lt;Co&gt;</option>" in html
    assert "Gone Away" not in html
