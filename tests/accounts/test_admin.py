"""Django admin's user list: each person's roles and agency, filters by them, and the same
number of queries for 5 people or 50."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role

from ..factories import UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    la = Agency.objects.create(name="Northbridge Council", kind="local_authority")
    return verified_client(client, UserFactory(is_staff=True, is_superuser=True, agency=la))


def people(count, agency):
    for i in range(count):
        UserFactory(roles=[Role.PDEO, Role.PANEL_MEMBER], agency=agency, full_name=f"Pat {i}")


def test_the_user_list_shows_roles_and_agency_and_filters_by_them(admin_client):
    police = Agency.objects.create(name="Northbridge Police", kind="police")
    UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=police, full_name="Kev Contributor")
    UserFactory(roles=[Role.PDEO], full_name="Tom Pdeo")
    url = reverse("admin:accounts_user_changelist")
    html = admin_client.get(url).content.decode()
    row = html.split(">Kev Contributor</a>")[1].split("</tr>")[0]
    assert "Agency Contributor" in row and "Northbridge Police" in row
    contributors = Group.objects.get(name=Role.AGENCY_CONTRIBUTOR)
    only = admin_client.get(url, {"groups__id__exact": contributors.pk}).content.decode()
    assert "Kev Contributor" in only and "Tom Pdeo" not in only
    only = admin_client.get(url, {"agency__id__exact": police.pk}).content.decode()
    assert "Kev Contributor" in only and "Tom Pdeo" not in only
    assert "By agency" in html and "By groups" in html


def test_the_user_list_costs_the_same_for_5_people_or_50(admin_client):
    agency = Agency.objects.create(name="Northbridge Police", kind="police")
    url = reverse("admin:accounts_user_changelist")

    def count():
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    people(5, agency)
    five = count()
    people(45, agency)
    assert count() == five


def test_roles_are_checkboxes_and_permissions_come_only_from_roles(admin_client):
    person = UserFactory(roles=[Role.PDEO])
    html = admin_client.get(reverse("admin:accounts_user_change", args=[person.pk])).content
    html = html.decode()
    assert 'type="checkbox" name="groups"' in html
    assert "user_permissions" not in html
    assert "selectfilter" not in html.lower()
