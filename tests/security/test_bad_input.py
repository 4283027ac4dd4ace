"""Bad input, generated: every form answers with a GOV.UK error summary or saves; never a 500,
and an edit that is refused leaves what was saved as it was."""

import pytest
from django.forms import MultiValueField
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications import forms as notification_forms
from notifications.models import Notification
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role
from safeguarding.cases import forms as case_forms
from safeguarding.cases.models import Case

from ..factories import UserFactory
from ..helpers import notify, refer, verified_client

pytestmark = pytest.mark.django_db

junk = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.from_regex(r"-?[0-9]{1,12}", fullmatch=True),
    st.sampled_from(
        [
            "31",
            "02",
            "2026",
            "0",
            "99999999999999999999",
            "1e9",
            "\x00",
            "  ",
            "NaN",
            "2026-02-30",
            "<script>",
            "' OR 1=1 --",
            "yes",
            "on",
        ]
    ),
)


def field_names(form_class, **form_kwargs):
    form = form_class(**form_kwargs)
    names = []
    for name, field in form.fields.items():
        if isinstance(field, MultiValueField):
            names += [f"{name}_{i}" for i in range(len(field.fields))]
        else:
            names.append(name)
    return names


@pytest.fixture(scope="module")
def hypothesis_settings():
    return settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture
def world(db):
    la = Agency.objects.create(name="Northbridge Council", kind="local_authority")
    pdeo = UserFactory(roles=[Role.PDEO, Role.PANEL_CHAIR], agency=la)
    case_a = notify(
        pdeo, la, child_name="Kid A", what_happened="Saved outline", national_reference="NP-JUNK"
    )
    from rapid_reviews import services as rapid_review_services
    from safeguarding.contributions import services as contributions

    rapid_review_services.open_rapid_review(case=case_a, user=pdeo)
    police = Agency.objects.create(name="Police", kind="police")
    contributor = UserFactory(roles=[Role.AGENCY_CONTRIBUTOR], agency=police)
    (request,) = contributions.send_requests(
        case=case_a, user=pdeo, agencies=[police], questions="q"
    )
    case_b = refer(pdeo, la, child_name="Kid B").case
    return {
        "pdeo": pdeo,
        "A": case_a,
        "B": case_b,
        "contributor": contributor,
        "request": request,
    }


def snapshot(case):
    from rapid_reviews.models import RapidReview
    from safeguarding.contributions.models import InformationRequest

    case = Case.objects.get(pk=case.pk)
    notification = Notification.objects.filter(case=case).first()
    review = RapidReview.objects.filter(case=case).values().first()
    requests = list(InformationRequest.objects.filter(case=case).values().order_by("id"))
    return (
        review,
        requests,
        case.outline,
        case.nature,
        case.version,
        list(case.children.values_list("name", "version")),
        notification.submitted_on if notification else None,
        notification.la_aware_on if notification else None,
    )


def forms_under_test(world):
    from rapid_reviews import forms as review_forms
    from safeguarding.contributions import forms as contribution_forms

    a, b = world["A"], world["B"]
    request = world["request"]
    notification = Notification.objects.get(case=a)
    child = a.children.first()
    return [
        (reverse("notifications:referral_new"), field_names(notification_forms.ReferralForm), None),
        (reverse("cases:edit", args=[a.reference]), field_names(case_forms.CaseDetailsForm), a),
        (reverse("cases:child_add", args=[a.reference]), field_names(case_forms.ChildForm), a),
        (
            reverse("cases:child_edit", args=[a.reference, child.pk]),
            field_names(case_forms.ChildForm),
            a,
        ),
        (
            reverse("cases:escalation_add", args=[a.reference]),
            field_names(case_forms.EscalationForm),
            a,
        ),
        (reverse("cases:team", args=[a.reference]), field_names(case_forms.TeamMemberForm), a),
        (
            reverse("notifications:screening", args=[b.reference]),
            field_names(notification_forms.ScreeningForm),
            b,
        ),
        (
            reverse("notifications:record", args=[a.reference]),
            field_names(notification_forms.NotificationForm, notification=notification),
            a,
        ),
        (
            reverse("notifications:awareness", args=[a.reference]),
            field_names(notification_forms.AwarenessDateForm),
            a,
        ),
        (
            reverse("requests:send", args=[a.reference]),
            field_names(contribution_forms.SendRequestsForm),
            a,
        ),
        (
            reverse("rapid_reviews:section", args=[a.reference, "analysis"]),
            field_names(review_forms.section_form_class("analysis")),
            a,
        ),
        (
            reverse("rapid_reviews:section", args=[a.reference, "key-dates"]),
            field_names(review_forms.section_form_class("key-dates")),
            a,
        ),
        (
            reverse("rapid_reviews:criteria", args=[a.reference]),
            field_names(review_forms.CriteriaForm),
            a,
        ),
        (
            reverse("rapid_reviews:decision", args=[a.reference]),
            field_names(review_forms.DecisionForm),
            a,
        ),
        (reverse("rapid_reviews:send", args=[a.reference]), field_names(review_forms.SendForm), a),
        (
            reverse("requests:return", args=[request.pk]),
            field_names(contribution_forms.ReturnForm),
            a,
        ),
    ]


def contributor_forms(world):
    from safeguarding.contributions import forms as contribution_forms

    request = world["request"]
    return [
        (
            reverse("requests:response", args=[request.pk]),
            field_names(contribution_forms.ResponseForm),
            world["A"],
        ),
        (
            # Several entries at once: junk in the formset's own fields as well as its rows'.
            reverse("requests:entry_add", args=[request.pk]),
            [
                f"entries-{name}"
                for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
            ]
            + [
                f"entries-{row}-{name}"
                for row in (0, 1)
                for name in field_names(contribution_forms.EntryForm)
            ],
            world["A"],
        ),
        (
            reverse("requests:upload", args=[request.pk]),
            field_names(contribution_forms.ChronologyUploadForm),
            world["A"],
        ),
        (
            reverse("requests:nil_return", args=[request.pk]),
            field_names(contribution_forms.NilReturnForm),
            world["A"],
        ),
        (reverse("requests:submit", args=[request.pk]), ["anything"], world["A"]),
    ]


@pytest.mark.parametrize("index", range(16 + 5))
def test_junk_never_breaks_a_form(world, index, hypothesis_settings):
    everything = [(world["pdeo"], f) for f in forms_under_test(world)] + [
        (world["contributor"], f) for f in contributor_forms(world)
    ]
    user, (url, names, case) = everything[index]
    client = verified_client(Client(), user)

    @hypothesis_settings
    @given(data=st.fixed_dictionaries({name: junk for name in names}))
    def check(data):
        before = snapshot(case) if case else None
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, data, response.status_code)
        if response.status_code == 200:
            html = response.content.decode()
            assert "govuk-error-summary" in html, (url, data)
            assert "<title>Error: " in html
            if case is not None:
                assert snapshot(case) == before, "a refused edit changed what was saved"

    check()


def test_a_stale_version_is_refused_and_says_so(world):
    client = verified_client(Client(), world["pdeo"])
    case = world["A"]
    url = reverse("cases:edit", args=[case.reference])
    form = client.get(url).context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if k not in ("agencies_involved", "abuse_types", "incident_date", "incident_time")
    }
    data.update(outline="First edit")  # the version the page was opened on
    assert client.post(url, data).status_code == 302
    data.update(outline="Second edit from a stale page")  # same, now old, version
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved changes to this record" in response.content.decode()
    assert Case.objects.get(pk=case.pk).outline == "First edit"


def test_huge_ids_in_urls_and_filters_are_not_a_500(world):
    client = verified_client(Client(), world["pdeo"])
    huge = "9" * 30
    assert client.get(f"/cases/{world['A'].reference}/children/{huge}/edit/").status_code == 404
    response = client.get(reverse("cases:list"), {"agency": huge})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(
        reverse("cases:escalation_add", args=[world["A"].reference]),
        {
            "issue": "x",
            "escalated_to": str(2**70),
            "escalated_on_0": "1",
            "escalated_on_1": "1",
            "escalated_on_2": "2026",
        },
    )
    assert response.status_code == 200
    assert "Choose the agency it was escalated to" in response.content.decode()


@pytest.mark.parametrize("junk", ["²", "٣", "１", "1.0", " 7 x"])
def test_unicode_digits_in_a_choice_are_an_error_not_a_500(world, junk):
    """Hypothesis found "²": a digit to str.isdigit(), not to int()."""
    client = verified_client(Client(), world["pdeo"])
    response = client.get(reverse("cases:list"), {"agency": junk})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(reverse("notifications:referral_new"), {"referring_agency": junk})
    assert response.status_code == 200
    assert "Choose the referring agency" in response.content.decode()
