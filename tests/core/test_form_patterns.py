"""GOV.UK patterns on the forms: conditional radios on screening (working without
JavaScript), styled number and time inputs, and date inputs everywhere."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Agency

from ..helpers import notify, refer, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return Agency.objects.create(name="Northbridge Police", kind="police")


def test_screening_reveals_each_follow_up_under_its_answer(pdeo, agency):
    case = refer(pdeo, agency, child_name="Kit").case
    client = verified_client(Client(), pdeo)
    url = reverse("notifications:screening", args=[case.reference])
    html = client.get(url).content.decode()
    assert "data-app-reveal" in html
    notify_radio = re.search(r'<input[^>]*value="notify"[^>]*>', html).group(0)
    assert 'data-aria-controls="conditional-id_decision-notify"' in notify_radio
    reveal = html.split('id="conditional-id_decision-notify"')[1].split("</fieldset>")[0]
    assert "la_aware_on_0" in reveal  # the awareness date sits under "notify"
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' in html
    # Chosen and sent back with an error: that answer's question is shown, not hidden.
    html = client.post(url, {"decision": "notify", "reason": "x"}).content.decode()
    assert 'class="govuk-radios__conditional" id="conditional-id_decision-notify"' in html
    assert "Enter the date the local authority became aware" in html
    assert 'href="#id_la_aware_on_0"' in html


def test_number_and_time_inputs_are_styled_gov_uk_text_inputs(pdeo, agency):
    client = verified_client(Client(), pdeo)
    html = client.get(reverse("notifications:referral_new")).content.decode()
    age = re.search(r'<input[^>]*name="child_age_years"[^>]*>', html).group(0)
    assert 'type="text"' in age and "govuk-input" in age and 'inputmode="numeric"' in age
    case = notify(pdeo, agency, child_name="Kit")
    html = client.get(reverse("cases:edit", args=[case.reference])).content.decode()
    time = re.search(r'<input[^>]*name="incident_time"[^>]*>', html).group(0)
    assert "govuk-input" in time


def test_no_browser_date_pickers_anywhere(pdeo, agency):
    case = notify(pdeo, agency, child_name="Kit")
    client = verified_client(Client(), pdeo)
    for url in [
        reverse("requests:chronology", args=[case.reference]),
        reverse("notifications:referral_new"),
        reverse("requests:send", args=[case.reference]),
    ]:
        html = client.get(url).content.decode()
        assert 'type="date"' not in html, url
    chronology = client.get(reverse("requests:chronology", args=[case.reference])).content.decode()
    assert chronology.count('class="govuk-date-input"') == 2
