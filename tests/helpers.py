"""Small helpers shared by the tests."""

import re
from datetime import date

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import PASSWORD


def current_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user, *, password=PASSWORD, code=None):
    """Sign in through the real pages: password, then the security code."""
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}
    )
    assert response.status_code == 302, response.content[:500]
    response = client.post(reverse("accounts:two_factor"), {"code": code or current_code(user)})
    assert response.status_code == 302, response.content[:500]
    return response


# The backend a session made by signing in names (settings.AUTHENTICATION_BACKENDS).
SIGN_IN_BACKEND = "safeguarding.accounts.backends.PersonBackend"


def verified_client(client, user):
    """A client logged in past the second factor, without walking the pages (faster)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend=SIGN_IN_BACKEND)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def refer(pdeo, referring_agency, *, child_name, **details):
    """A referral recorded by the PDEO (which opens its case)."""
    from notifications import services

    fields = {
        "referrer_name": "R",
        "received_on": date(2026, 11, 2),
        "what_happened": "x",
        "why_serious": "y",
        "nature": "serious_harm",
        **details,
    }
    return services.record_referral(
        user=pdeo, referring_agency=referring_agency, child_name=child_name, **fields
    )


def notify(
    pdeo,
    referring_agency,
    *,
    child_name,
    la_aware_on=None,
    submitted_on=date(2026, 11, 3),
    national_reference=None,
    notifier_name="N",
    **details,
):
    """A case referred, screened in for notification and (unless `submitted_on` is None)
    notified to the national Panel: where most tests of the later stages start."""
    from notifications import services

    referral = refer(pdeo, referring_agency, child_name=child_name, **details)
    services.screen_referral(
        referral=referral,
        user=pdeo,
        decision="notify",
        reason="Meets the definition.",
        la_aware_on=la_aware_on or referral.received_on,
    )
    if submitted_on is not None:
        services.record_notification(
            notification=referral.case.notification,
            user=pdeo,
            expected_version=1,
            submitted_on=submitted_on,
            national_reference=national_reference or f"NP-{referral.case.reference}",
            notifier_name=notifier_name,
        )
    return referral.case


def entry_rows(*rows, total=None):
    """The POST data of the chronology entries page (a formset, prefix "entries"): each row a
    dict of the entry form's fields, with its date as day, month and year."""
    data = {
        "entries-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"entries-{i}-{name}"] = value
    return data


def page_queries(client, url):
    """The queries one page costs: asked for twice and the second counted (the first fills
    Django's per-process caches: content types, the session), with the navigation's count of
    what waits counted afresh (it is kept a minute per person), so that a page with few rows
    and one with many are measured alike."""
    return page_cost(client, url)[0]


# Columns of free text about a child (or of an account's secrets) that no line of a list
# that links elsewhere shows (docs/architecture.md, "A line reads what it shows").
UNSHOWN = (
    '"outline"',
    '"what_happened"',
    '"why_serious"',
    '"body_text"',
    '"body_html"',
    '"description"',
    '"closure_evidence"',
    '"measure_of_success"',
    '"decision_reasons"',
    '"key_lines_of_enquiry"',
    '"password"',
)
# A field left out and then shown would be read by a query of its own, by its id.
READ_BY_ID = re.compile(
    r'FROM "(cases_case|deadlines_deadline|actions_action|notifications_referral|'
    r'outbox_outboundemail|accounts_user|cspr_localreview|cspr_reviewerrequest|panel_meeting)" '
    r'WHERE "\1"\."id" = \d+ LIMIT 21'
)
# The person is read with their agency beside them (accounts.backends.PersonBackend).
_SIGNED_IN = re.compile(
    r'FROM "accounts_user" LEFT OUTER JOIN "accounts_agency" ON '
    r'\("accounts_user"\."agency_id" = "accounts_agency"\."id"\) '
    r'WHERE "accounts_user"\."id" = \d+ LIMIT 21$'
)


def page_reads(client, url):
    """(the page's HTML, its SELECTs but the signed-in person's): the page asked for twice,
    as a person moving about would, and the second read. The authentication middleware's
    read of the signed-in person is the one query that reads an account in full."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    signed_in = [s for s in selects if _SIGNED_IN.search(s)]
    assert len(signed_in) == 1, signed_in
    return response.content.decode(), [s for s in selects if s not in signed_in]


def reads_beyond_its_lines(selects, *, shows=()):
    """The SELECTs that read a column no line shows (but those in `shows`, as
    '"description"'), or a field by its id (left out, then shown): none, for a page whose
    lines read only what they show."""
    unshown = [column for column in UNSHOWN if column not in shows]
    return [
        s[:300]
        for s in selects
        if any(column in s.split(" FROM ")[0] for column in unshown) or READ_BY_ID.search(s)
    ]


def counted_afresh(client):
    """What a page keeps for the pages after it, forgotten: the navigation's count of what
    waits (a minute per person) and which cases nobody leads (until who leads what changes).
    A page is then measured alike whether or not the data made before it forgot them."""
    from safeguarding import home
    from safeguarding.cases.selectors import forget_cases_nobody_leads

    home.forget_waiting_count(client.session["_auth_user_id"])
    forget_cases_nobody_leads()


def page_cost(client, url):
    """(queries, the page's HTML), counted as `page_queries` counts them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    counted_afresh(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response.content.decode()


def index_plan(sql):
    """PostgreSQL's plan for `sql` when it may not read a table whole: a test database's tiny
    tables are otherwise read whole whatever the indexes, so this shows what an index can do
    on its own (an "Index Only Scan" reads no row of the table)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def table_rows(html, testid):
    """The text of each body row's cells in the table marked `data-testid="<testid>"`, with
    tags and spacing left out: what a reader sees, not how it is marked up."""
    import re
    from html import unescape

    table = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody.*?</tbody>", table, re.S).group(0)
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def assert_lost_file_is_not_found(client, url, field_file):
    """A download whose stored file storage has lost (a restore that missed the uploads): the
    view opens the file before it records the download (`safeguarding.web.open_stored`), so
    the answer is the service's "not found" page, never a 500, and no access-log row."""
    from safeguarding.audit.models import AccessLog

    logged = AccessLog.objects.count()
    field_file.storage.delete(field_file.name)
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert AccessLog.objects.count() == logged
