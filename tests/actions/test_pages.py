"""The actions pages: the agency's own page (its actions only, across reviews and the Panel,
references and pseudonyms only), an action's page with its updates, the partnership's list
with filters, overdue actions flagged on What's due, the agency's list and the home page;
forms that refuse bad input with an error summary; no N+1."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from safeguarding.actions import services
from safeguarding.actions.models import Action
from safeguarding.deadlines import chasing
from safeguarding.deadlines.models import Reminder

from ..helpers import (
    assert_lost_file_is_not_found,
    page_queries,
    page_reads,
    reads_beyond_its_lines,
    verified_client,
)

pytestmark = pytest.mark.django_db


def page(client, name, **kwargs):
    params = kwargs.pop("params", None)
    response = client.get(reverse(name, kwargs=kwargs or None), params)
    return response.status_code, response.content.decode()


def test_the_agency_page_lists_its_own_actions_only_by_reference_and_pseudonym(
    partners, make_action, notified_case
):
    ours = make_action(case=notified_case, description="Police action on the case")
    log = make_action(source=Action.Source.ACTION_LOG, description="Police action log entry")
    theirs = make_action("hospital", description="Hospital action")
    client = verified_client(Client(), partners["police_contributor"])
    status, html = page(client, "actions:agency")
    assert status == 200
    assert "Police action on the case" in html and "Police action log entry" in html
    assert "Hospital action" not in html
    assert notified_case.reference in html and notified_case.pseudonym in html
    assert "Casey Realname" not in html  # the child's name never
    assert "CSPR Panel&#x27;s action log" in html
    # Another agency's action: outside the gate, a 404 on every page about it, GET or POST.
    for name in ("actions:detail", "actions:update", "actions:propose_closure"):
        assert client.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404
    response = client.post(
        reverse("actions:update", kwargs={"pk": theirs.pk}), {"text": "x", "rag": "red"}
    )
    assert response.status_code == 404
    assert not theirs.updates.exists()
    assert {ours, log} == set(Action.objects.visible_to(partners["police_contributor"]))


def test_an_agency_member_updates_with_evidence_and_proposes_closure(partners, make_action):
    action = make_action()
    client = verified_client(Client(), partners["police_contributor"])
    url = reverse("actions:update", kwargs={"pk": action.pk})
    # Bad input: an error summary, nothing saved.
    response = client.post(url, {"text": "", "version": action.version})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter what has been done" in html and "Select the RAG status" in html
    response = client.post(
        url,
        {
            "text": "Half trained",
            "rag": "amber",
            "version": action.version,
            "file": SimpleUploadedFile("register.pdf", b"plain words", "application/pdf"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "is named as a PDF but it is not one" in html
    assert not action.updates.exists()
    response = client.post(
        url,
        {
            "text": "Half trained",
            "rag": "amber",
            "version": action.version,
            "file": SimpleUploadedFile("register.txt", b"Register", "text/plain"),
        },
    )
    assert response.status_code == 302
    update = action.updates.get()
    status, html = page(client, "actions:detail", pk=action.pk)
    assert "Half trained" in html and "Amber: at risk" in html
    evidence = client.get(
        reverse("actions:evidence", kwargs={"pk": action.pk, "update_id": update.pk})
    )
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == b"Register"
    assert_lost_file_is_not_found(
        client,
        reverse("actions:evidence", kwargs={"pk": action.pk, "update_id": update.pk}),
        update.file,
    )
    # Closure without evidence: refused, with the reason.
    url = reverse("actions:propose_closure", kwargs={"pk": action.pk})
    action.refresh_from_db()
    response = client.post(url, {"evidence": " ", "version": action.version})
    assert "Enter the evidence of impact" in response.content.decode()
    response = client.post(url, {"evidence": "Audit 9 of 10", "version": action.version})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.CLOSURE_PROPOSED


def test_the_pdeo_returns_then_accepts_and_a_stale_decision_is_refused(partners, make_action):
    action = make_action()
    services.propose_closure(action=action, user=partners["police_contributor"], evidence="E")
    action.refresh_from_db()
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("actions:decide_closure", kwargs={"pk": action.pk})
    status, html = page(client, "actions:decide_closure", pk=action.pk)
    assert status == 200 and "form_token" in html
    response = client.post(url, {"decision": "return", "reason": "", "version": action.version})
    assert "Enter why the closure is returned" in response.content.decode()
    response = client.post(url, {"decision": "return", "reason": "Not yet", "version": 999})
    assert "govuk-error-summary" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.CLOSURE_PROPOSED
    response = client.post(
        url, {"decision": "return", "reason": "Not yet", "version": action.version}
    )
    assert response.status_code == 302
    assert client.get(url).status_code == 302  # nothing to decide now


def test_the_partnership_list_filters_by_agency_rag_and_overdue(partners, make_action, today):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        late = make_action(due=date(2026, 11, 20), description="Late police action")
    red = make_action("hospital", description="Red hospital action", rag=Action.Rag.RED)
    make_action(description="Green police action")
    client = verified_client(Client(), partners["pdeo"])

    def listed(**params):
        html = page(client, "actions:list", params=params)[1]
        return {a.description for a in Action.objects.all() if a.description in html}

    assert len(listed()) == 3
    assert listed(agency=partners["hospital"].pk) == {red.description}
    assert listed(rag="red") == {red.description}
    assert listed(overdue="on") == {late.description}
    # A filter value that does not exist: an error, not a 500.
    status, html = page(client, "actions:list", params={"agency": "99999", "rag": "purple"})
    assert status == 200 and "govuk-error-summary" in html


def test_the_list_filters_keep_what_was_chosen_in_govuk_fields(partners, make_action):
    """The filters (components/filter_fields.html): each choice kept after filtering, the
    selects GOV.UK's (crispy had written the agencies' select with no govuk-select class), the
    tick box ticked, and a bad value's message beside its field."""
    from django.test.html import parse_html

    make_action()
    client = verified_client(Client(), partners["pdeo"])
    hospital = partners["hospital"].pk
    _, html = page(
        client, "actions:list", params={"agency": hospital, "rag": "red", "overdue": "on"}
    )
    assert parse_html(
        f'<option value="{hospital}" selected>{partners["hospital"].name}</option>'
    ) in parse_html(html)
    assert parse_html('<option value="red" selected>Red: off track</option>') in parse_html(html)
    assert html.count('class="govuk-select app-full-width"') == 3
    assert 'type="checkbox" name="overdue" id="id_overdue" checked' in html
    assert 'for="id_overdue">Overdue only</label>' in html

    _, html = page(client, "actions:list")
    assert 'id="id_overdue">' in html  # not ticked

    _, html = page(client, "actions:list", params={"agency": "99999"})
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'aria-describedby="id_agency-error"' in html
    assert '<p class="govuk-error-message" id="id_agency-error">' in html


def test_an_overdue_action_is_on_whats_due_the_agency_list_and_the_home_page_and_chased(
    partners, make_action, notified_case, today
):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        on_case = make_action(case=notified_case, due=date(2026, 11, 10))
        on_none = make_action(due=date(2026, 11, 12), source=Action.Source.ACTION_LOG)
    pdeo = verified_client(Client(), partners["pdeo"])
    html = page(pdeo, "whats_due")[1]
    assert "Complete an action with evidence of impact" in html
    assert f"{on_none.reference} (Northbridge Police)" in html  # no case: what it is
    assert html.count("Northbridge Police") >= 2  # whom each waits on
    contributor = verified_client(Client(), partners["police_contributor"])
    html = page(contributor, "actions:agency")[1]
    assert html.count('data-testid="overdue"') == 2
    home = page(contributor, "home")[1]
    assert f"{on_case.reference}, {notified_case.reference}" in home and "overdue since" in home
    assert escape(f"{on_none.reference}, {on_none.get_source_display()}") in home  # its source
    chasing.chase(today=today)
    reminded = set(
        Reminder.objects.filter(deadline__object_id__in=[on_case.pk, on_none.pk]).values_list(
            "recipient", flat=True
        )
    )
    # The police's people who update actions; and, escalated, the Chair and Business Manager
    # (the Chair here is the ICB's).
    assert partners["police_contributor"].pk in reminded
    assert partners["police_signer"].pk in reminded
    assert partners["hospital_contributor"].pk not in reminded


def test_the_pdeo_sets_an_action_and_bad_input_keeps_what_was_typed(partners, notified_case):
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("actions:new")
    data = {
        "case_reference": "NSCP-1999-999",
        "source": "other",
        "description": "Write the pathway",
        "owner_agency": partners["police"].pk,
        "due_date_0": "1",
        "due_date_1": "11",
        "due_date_2": "2026",
        "measure_of_success": "Pathway published",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert "There is no case with that reference" in html
    assert "Write the pathway" in html  # nothing typed is lost
    data["case_reference"] = notified_case.reference
    html = client.post(url, data).content.decode()
    assert "The due date must be on or after the day the action was set" in html
    data["due_date_0"] = "30"
    response = client.post(url, data)
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.case == notified_case and action.due_date == date(2026, 11, 30)


@pytest.mark.parametrize(
    "who,name",
    [
        ("police_contributor", "actions:agency"),
        ("pdeo", "actions:list"),
        # The agency's home section reads only what its rows show: a field it left out
        # would be read again for every row.
        ("police_contributor", "home"),
    ],
)
def test_the_lists_cost_the_same_for_5_actions_or_50(
    partners, make_action, notified_case, who, name
):
    client = verified_client(Client(), partners[who])
    for i in range(5):
        make_action(case=notified_case if i % 2 else None)
    few = page_queries(client, reverse(name))
    for i in range(45):
        make_action(case=notified_case if i % 2 else None, owner=partners["police_contributor"])
    assert page_queries(client, reverse(name)) == few


def test_an_actions_page_costs_the_same_however_many_updates(partners, make_action):
    action = make_action()
    client = verified_client(Client(), partners["police_contributor"])
    url = reverse("actions:detail", kwargs={"pk": action.pk})
    services.add_update(action=action, user=partners["police_contributor"], text="1", rag="red")
    few = page_queries(client, url)
    for i in range(20):
        services.add_update(action=action, user=partners["police_signer"], text=str(i), rag="red")
    assert page_queries(client, url) == few


def test_the_actions_tables_read_only_what_their_rows_show(partners, make_action, notified_case):
    """A row shows the action, its case's reference and pseudonym, its agency, its owner's
    name, the date and its tags: never the measure of success, the evidence of impact, the
    owner's account or the case's outline, and no field a row shows is left to a query of
    its own."""
    owned = make_action(
        case=notified_case,
        description="Police action on the case",
        owner=partners["police_contributor"],
    )
    make_action(source=Action.Source.ACTION_LOG, description="Police action log entry")
    services.propose_closure(action=owned, user=partners["police_contributor"], evidence="E")
    for person, url in (("pdeo", "actions:list"), ("police_contributor", "actions:agency")):
        client = verified_client(Client(), partners[person])
        html, selects = page_reads(client, reverse(url))
        assert "Police action on the case" in html and "Police action log entry" in html
        assert notified_case.reference in html and notified_case.pseudonym in html
        assert partners["police_contributor"].full_name in html
        assert not reads_beyond_its_lines(selects, shows=['"description"']), person
