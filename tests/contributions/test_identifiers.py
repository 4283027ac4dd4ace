"""An agency asked for information sees who the request is about, so it can find its own
records: the child's name and date of birth always, and the address, NHS number and household
names only where its kind of agency searches on them. On the open request only, to that
agency only, logged as a read, and never in an email."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Agency, IdentifierPolicy
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AccessLog
from safeguarding.cases import services as case_services
from safeguarding.contributions import services
from safeguarding.outbox.sending import send_pending

from ..factories import UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db

ADDRESS = "4 Mill Row, Northbridge"
NHS = "4857773456"


@pytest.fixture
def asked(notified_case, partners, django_capture_on_commit_callbacks):
    IdentifierPolicy.objects.update_or_create(
        kind="police", defaults={"address": True, "household": True, "nhs_number": False}
    )
    IdentifierPolicy.objects.update_or_create(
        kind="health_provider", defaults={"address": False, "household": False, "nhs_number": True}
    )
    IdentifierPolicy.objects.update_or_create(
        kind="education", defaults={"address": False, "household": False, "nhs_number": False}
    )
    child = notified_case.children.get()
    child.address, child.nhs_number = ADDRESS, NHS
    child.save()
    case_services.add_household_member(
        case=notified_case, name="Morgan Realname", relationship="mother"
    )
    school = Agency.objects.create(name="Northbridge Academy", kind="education")
    school_contributor = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=school)
    with django_capture_on_commit_callbacks(execute=True):
        police, hospital, school_request = services.send_requests(
            case=notified_case,
            user=partners["pdeo"],
            agencies=[partners["police"], partners["hospital"], school],
            questions="Your involvement",
        )
    return {
        "police": (police, partners["police_contributor"]),
        "hospital": (hospital, partners["hospital_contributor"]),
        "school": (school_request, school_contributor),
    }


def page(user, request):
    return verified_client(Client(), user).get(
        reverse("requests:detail", kwargs={"pk": request.pk})
    )


def test_each_agency_sees_what_its_kind_searches_on(asked):
    police = page(asked["police"][1], asked["police"][0]).content.decode()
    assert "Casey Realname" in police and "3 February 2019" in police
    assert ADDRESS in police and "Morgan Realname" in police and NHS not in police
    hospital = page(asked["hospital"][1], asked["hospital"][0]).content.decode()
    assert "Casey Realname" in hospital and NHS in hospital
    assert ADDRESS not in hospital and "Morgan Realname" not in hospital
    school = page(asked["school"][1], asked["school"][0]).content.decode()
    assert "Casey Realname" in school and "3 February 2019" in school
    assert ADDRESS not in school and NHS not in school and "Morgan Realname" not in school


def test_only_on_the_open_request_and_only_to_the_agency_asked(asked, partners):
    police_request, police_contributor = asked["police"]
    # Another agency's contributor: the request does not exist for them.
    assert page(asked["hospital"][1], police_request).status_code == 404
    # Once the answer is in, the identifiers are gone from the agency's view.
    services.save_response(
        request=police_request, user=police_contributor, expected_version=1, summary="Seen."
    )
    services.submit_response(request=police_request, user=police_contributor)
    assert "Casey Realname" not in page(police_contributor, police_request).content.decode()
    # Returned for amendment, it is open again, and so are the identifiers.
    services.return_response(request=police_request, user=partners["pdeo"], reason="More")
    assert "Casey Realname" in page(police_contributor, police_request).content.decode()


def test_each_showing_is_logged_as_a_read(asked):
    police_request, police_contributor = asked["police"]
    page(police_contributor, police_request)
    page(police_contributor, police_request)
    reads = AccessLog.objects.filter(
        user=police_contributor, object_repr__contains="identifying details shown"
    )
    assert reads.count() == 2
    assert "Northbridge Police" in reads.first().object_repr


def test_never_in_an_email(asked):
    send_pending()
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        text = message.body + "".join(a[0] for a in message.alternatives)
        for secret in ("Casey", "Realname", "3 February 2019", ADDRESS, NHS, "Morgan"):
            assert secret not in text, (message.to, secret)


def test_a_kind_with_no_setting_gets_the_documented_defaults(db):
    IdentifierPolicy.objects.all().delete()
    police = IdentifierPolicy.for_kind("police")
    assert (police.address, police.household, police.nhs_number) == (True, True, False)
    other = IdentifierPolicy.for_kind("voluntary_sector")
    assert other.shown() == ["name", "date of birth"]
