"""The actions' figures against a seeded data set whose answers are worked out here by hand,
and the actions export: CSV and XLSX (read back with openpyxl), logged, pseudonymised and
formula-safe."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.accounts.roles import Role
from safeguarding.actions import services
from safeguarding.actions.models import Action
from safeguarding.audit.models import AccessLog
from safeguarding.files.models import GeneratedFile
from safeguarding.reports import figures
from safeguarding.reports.periods import reporting_year_starting

from ..helpers import assert_lost_file_is_not_found, verified_client

pytestmark = pytest.mark.django_db
YEAR = reporting_year_starting(2026)  # 1 April 2026 to 31 March 2027
FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def seeded(partners, make_action, notified_case):
    """Today is 24 November 2026. Set in the year:
    police  A1 green, due 18 Dec 2026 (open, on time)
    police  A2 red, set 2 Nov, due 20 Nov 2026 (open, overdue)
    police  A3 amber, set 2 Nov, due 23 Nov, closure proposed (open, overdue)
    hospital A4 set 2 Nov, closed on evidence
    hospital A5 carried into other work
    Set before the year: police A0 (1 March 2026), red and overdue: in no figure."""
    police, hospital = partners["police_contributor"], partners["hospital_contributor"]
    make_action(case=notified_case, description=FORMULA)
    with time_machine.travel(date(2026, 11, 2), tick=False):
        make_action(due=date(2026, 11, 20), rag=Action.Rag.RED)
        a3 = make_action(due=date(2026, 11, 23), rag=Action.Rag.AMBER)
        a4 = make_action("hospital", due=date(2026, 11, 30))
    services.propose_closure(action=a3, user=police, evidence="Audit")
    services.propose_closure(action=a4, user=hospital, evidence="Audit")
    services.accept_closure(action=a4, user=partners["pdeo"])
    a5 = make_action("hospital", source=Action.Source.ACTION_LOG)
    services.carry_into_other_work(action=a5, user=partners["pdeo"], reasons="Neglect plan")
    with time_machine.travel(date(2026, 3, 1), tick=False):
        make_action(due=date(2026, 3, 31), rag=Action.Rag.RED)
    return notified_case


def table(key):
    result = figures.figure(key).compute(YEAR)
    return result.headline, {row[0]: row[1:] for row in result.rows}


def test_actions_by_rag_status(seeded):
    headline, rows = table("actions_by_rag")
    assert rows == {
        "Open: Red": [1, 1],
        "Open: Amber": [1, 1],
        "Open: Green": [1, 0],
        "Closed on evidence of impact": [1, 0],
        "Carried into other work": [1, 0],
    }
    assert headline == "5 set, 3 open, 2 overdue, 1 closed"


def test_actions_by_owner_agency(seeded):
    headline, rows = table("actions_by_agency")
    assert rows == {
        "Northbridge Hospital": [2, 0, 0, 1],
        "Northbridge Police": [3, 3, 2, 0],
    }
    assert headline == "2 overdue, across 1 agency"


def test_the_figures_are_on_the_dashboard(seeded, partners):
    client = verified_client(Client(), partners["pdeo"])
    html = client.get(reverse("reports:dashboard"), {"year": "2026"}).content.decode()
    assert "Actions by RAG status" in html and "Actions by owner agency" in html
    assert "5 set, 3 open, 2 overdue, 1 closed" in html


def _download(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    generated = GeneratedFile.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert generated.status == "ready", generated.error
    got = client.get(reverse("files:download", kwargs={"pk": generated.pk}))
    return b"".join(got.streaming_content)


def test_the_actions_export_csv_and_xlsx(seeded, make_user, django_capture_on_commit_callbacks):
    manager = make_user(Role.BUSINESS_MANAGER)
    client = verified_client(Client(), manager)
    url = reverse("reports:export", args=["actions"])

    def ask(fmt):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"year": "2026", "format": fmt})
        return _download(client, response)

    rows = list(csv.reader(io.StringIO(ask("csv").decode())))
    assert rows[0][:3] == ["Action", "Case reference", "Pseudonym"]
    assert len(rows) == 6  # the header and the five actions set in the year
    by_text = {row[7]: row for row in rows[1:]}
    assert "'" + FORMULA in by_text and FORMULA not in by_text  # inert
    first = by_text["'" + FORMULA]
    assert first[1:3] == [seeded.reference, seeded.pseudonym]
    assert sorted(row[13] for row in rows[1:]) == ["No", "No", "No", "Yes", "Yes"]
    workbook = load_workbook(io.BytesIO(ask("xlsx")))
    sheet = workbook.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    formula_cells = [cell for cell in cells if cell.value == FORMULA]
    assert formula_cells and all(c.data_type == "s" and c.quotePrefix for c in formula_cells)
    assert all(cell.data_type != "f" for cell in cells)
    values = " ".join(str(cell.value) for cell in cells)
    assert seeded.reference in values
    for text in (values, " ".join(" ".join(r) for r in rows)):
        assert "Casey" not in text and "Realname" not in text and "2019-02-03" not in text
    assert AccessLog.objects.filter(user=manager, action=AccessLog.Action.EXPORT).count() == 2
    generated = GeneratedFile.objects.filter(status="ready").latest("pk")
    assert_lost_file_is_not_found(
        client, reverse("files:download", kwargs={"pk": generated.pk}), generated.file
    )
