"""What every page pays before it does its own work (docs/performance.md, "Nineteenth round"):
the person is read through no lazy wrapper once they are known, and no translation machinery
runs for a service written in English only, while dates and numbers stay British."""

from datetime import date

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.functional import LazyObject

from safeguarding.accounts.roles import Role

from ..helpers import SIGN_IN_BACKEND, sign_in, verified_client

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_reads_the_person_object_itself(client, make_user):
    user = make_user(Role.PDEO)
    verified_client(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    person = response.wsgi_request.user
    assert not isinstance(person, LazyObject)
    assert type(person) is type(user) and person.pk == user.pk
    # Still known to have passed the second factor (django-otp set that on the object).
    assert person.is_verified()


def test_the_person_is_unwrapped_at_every_step_of_signing_in(client, make_user):
    """Anonymous, then the password alone, then the code: each request's person is the object
    itself, and the second factor still stands between the password and the service."""
    user = make_user(Role.PDEO)
    response = client.get(reverse("accounts:login"))
    assert isinstance(response.wsgi_request.user, AnonymousUser)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))

    sign_in(client, user)  # through the real pages: password, then the code
    response = client.get(reverse("whats_due"))
    assert response.status_code == 200
    assert not isinstance(response.wsgi_request.user, LazyObject)
    assert response.wsgi_request.user.is_verified()


def test_the_person_is_read_with_their_agency_in_one_query(
    client, make_user, django_assert_num_queries
):
    """Signing in through the real pages leaves the session with PersonBackend, whose read of
    the person brings their agency: the home page's caption names it with no query of its own,
    and a person switched off is still nobody."""
    from django.contrib.auth import BACKEND_SESSION_KEY

    from safeguarding.accounts.backends import PersonBackend
    from safeguarding.accounts.models import Agency

    police = Agency.objects.create(name="Northbridge Police", kind="police")
    user = make_user(Role.AGENCY_CONTRIBUTOR, agency=police)
    sign_in(client, user)
    assert client.session[BACKEND_SESSION_KEY] == SIGN_IN_BACKEND
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f"{user.full_name}, Northbridge Police" in response.content.decode()
    person = PersonBackend().get_user(user.pk)
    with django_assert_num_queries(0):
        assert person.agency.name == "Northbridge Police"
        assert person.role_names == {Role.AGENCY_CONTRIBUTOR}
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert PersonBackend().get_user(user.pk) is None
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))


def test_the_persons_roles_come_with_them_and_a_change_counts_on_the_next_page(
    client, make_user, django_assert_num_queries
):
    """Every role a person holds, read in the query that reads them, none for a person with
    none; a role given or taken away counts from their next page, not their next sign-in."""
    from django.contrib.auth.models import Group

    from safeguarding.accounts.backends import PersonBackend

    user = make_user(Role.PDEO, Role.PANEL_MEMBER)
    with django_assert_num_queries(1):
        person = PersonBackend().get_user(user.pk)
        assert person.role_names == {Role.PDEO, Role.PANEL_MEMBER}
    nobody = make_user()
    with django_assert_num_queries(1):
        assert PersonBackend().get_user(nobody.pk).role_names == frozenset()

    verified_client(client, user)
    assert client.get(reverse("whats_due")).status_code == 200
    user.groups.remove(Group.objects.get(name=Role.PDEO), Group.objects.get(name=Role.PANEL_MEMBER))
    assert client.get(reverse("whats_due")).status_code == 403
    user.groups.add(Group.objects.get(name=Role.PDEO))
    assert client.get(reverse("whats_due")).status_code == 200


def test_a_password_alone_is_still_sent_to_the_second_factor(client, make_user):
    user = make_user(Role.PDEO)
    client.force_login(user, backend=SIGN_IN_BACKEND)
    response = client.get(reverse("whats_due"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


class DateForm(forms.Form):
    on = forms.DateField()


def test_nothing_is_translated_yet_dates_and_numbers_stay_british(settings):
    assert settings.USE_I18N is False
    assert translation.get_language() == "en-gb"
    rendered = Template("{{ d }}|{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"d": date(2026, 3, 4)})
    )
    assert rendered == "4 Mar 2026|4 Mar 2026|04/03/2026"
    # Typed the British way round: the 4th of March, never the 3rd of April.
    form = DateForm(data={"on": "04/03/2026"})
    assert form.is_valid() and form.cleaned_data["on"] == date(2026, 3, 4)


def test_admin_still_reads_typed_dates_the_british_way(client, django_user_model):
    """The reason an earlier round kept translation on: Django admin would parse typed dates
    in US order. It does not: its form and its calendar's script both take en-GB's formats."""
    from safeguarding.deadlines.models import ClosureDay

    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x" * 16)
    verified_client(client, admin)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    assert '"DATE_INPUT_FORMATS": [\n      "%d/%m/%Y"' in script
    response = client.post(
        reverse("admin:deadlines_closureday_add"), {"date": "04/03/2026", "reason": "Staff day"}
    )
    assert response.status_code == 302, response.content[:2000]
    assert ClosureDay.objects.get(reason="Staff day").date == date(2026, 3, 4)


def test_the_navigation_is_reversed_once_not_on_every_page(client, make_user, monkeypatch):
    from safeguarding import navigation

    verified_client(client, make_user(Role.PDEO))
    client.get(reverse("home"))  # the first page of this configuration reverses the items
    reversed_names = []
    real_reverse = navigation.reverse

    def spy(name, *args, **kwargs):
        reversed_names.append(name)
        return real_reverse(name, *args, **kwargs)

    monkeypatch.setattr(navigation, "reverse", spy)
    page = client.get(reverse("whats_due"))
    assert reversed_names == []
    links = {item["text"]: item["href"] for item in page.context["service_navigation"]}
    assert links["Your work"] == "/" and links["What's due"] == reverse("whats_due")
    assert [i["text"] for i in page.context["service_navigation"] if i["current"]] == ["What's due"]


def test_the_navigation_follows_the_prefix_the_service_is_mounted_under(rf, make_user):
    from django.urls import set_script_prefix

    from safeguarding import navigation

    user = make_user(Role.PDEO)
    user.is_verified = lambda: True
    request = rf.get("/lscp/due/")
    request.user = user
    try:
        set_script_prefix("/lscp/")
        mounted = {item["text"]: item["href"] for item in navigation.service_navigation(request)}
    finally:
        set_script_prefix("/")
    assert mounted["What's due"] == "/lscp/due/"
    request.path = "/due/"
    plain = {item["text"]: item["href"] for item in navigation.service_navigation(request)}
    assert plain["What's due"] == "/due/"
