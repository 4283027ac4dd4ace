"""The reports' exports and pages: lists leave as CSV or XLSX with no identifying detail, each
download is logged, formulas are inert in both formats, and bad periods or values are GOV.UK
errors, never a 500 and never an empty file that looks like a real one."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AccessLog
from safeguarding.cases.models import Case
from safeguarding.contributions import services as contributions
from safeguarding.files.models import GeneratedFile

from ..helpers import verified_client

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example","x")'


def ask(client, url, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    return response


def download(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    generated = GeneratedFile.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert generated.status == "ready", generated.error
    got = client.get(reverse("files:download", kwargs={"pk": generated.pk}))
    return b"".join(got.streaming_content)


@pytest.fixture
def seeded(notified_case, partners):
    Case.objects.filter(pk=notified_case.pk).update(pseudonym=FORMULA)
    contributions.send_requests(
        case=notified_case, user=partners["pdeo"], agencies=[partners["police"]], questions="q"
    )
    return notified_case


@pytest.mark.parametrize("export", ["case-clocks", "requests"])
def test_exports_have_no_identifying_detail_are_logged_and_inert(
    seeded, make_user, export, django_capture_on_commit_callbacks
):
    manager = make_user(Role.BUSINESS_MANAGER)
    client = verified_client(Client(), manager)
    url = reverse("reports:export", args=[export])
    as_csv = download(
        client,
        ask(client, url, {"year": "2026", "format": "csv"}, django_capture_on_commit_callbacks),
    ).decode()
    cells = [cell for row in csv.reader(io.StringIO(as_csv)) for cell in row]
    assert seeded.reference in cells
    assert "'" + FORMULA in cells and FORMULA not in cells
    as_xlsx = download(
        client,
        ask(client, url, {"year": "2026", "format": "xlsx"}, django_capture_on_commit_callbacks),
    )
    sheet = load_workbook(io.BytesIO(as_xlsx)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    values = [cell.value for cell in cells]
    # In XLSX the text is kept as typed, in a text cell with Excel's quote prefix: never a formula.
    formula_cells = [cell for cell in cells if cell.value == FORMULA]
    assert formula_cells
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in formula_cells)
    assert all(cell.data_type != "f" for cell in cells)
    for text in (as_csv, " ".join(str(v) for v in values)):
        assert "Casey" not in text and "Realname" not in text and "2019-02-03" not in text
    assert AccessLog.objects.filter(user=manager, action=AccessLog.Action.EXPORT).count() == 2


def test_an_export_with_nothing_in_the_period_makes_no_file(
    seeded, make_user, django_capture_on_commit_callbacks
):
    client = verified_client(Client(), make_user(Role.PDEO))
    response = ask(
        client,
        reverse("reports:export", args=["requests"]),
        {"year": "2019", "format": "csv"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    assert "There is nothing to export" in response.content.decode()
    assert not GeneratedFile.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {
                "start_0": "1",
                "start_1": "9",
                "start_2": "2026",
                "end_0": "1",
                "end_1": "8",
                "end_2": "2026",
                "format": "csv",
            },
            "The end of the period must be on or after its start",
        ),
        (
            {
                "start_0": "1",
                "start_1": "1",
                "start_2": "2099",
                "end_0": "2",
                "end_1": "1",
                "end_2": "2099",
                "format": "csv",
            },
            "The start of the period must be today or in the past",
        ),
        ({"year": "1850", "format": "csv"}, "Choose a reporting year from the list"),
        ({"year": "2026", "format": "docx"}, "Choose CSV or XLSX"),
        (
            {"start_0": "31", "start_1": "2", "start_2": "2026", "format": "csv"},
            "must be a real date",
        ),
    ],
)
def test_bad_periods_and_values_are_govuk_errors(make_user, data, message, today):
    client = verified_client(Client(), make_user(Role.BUSINESS_MANAGER))
    response = client.post(reverse("reports:export", args=["case-clocks"]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert not GeneratedFile.objects.exists()
    page = client.get(
        reverse("reports:dashboard"), {k: v for k, v in data.items() if k != "format"}
    )
    assert page.status_code == 200


def test_an_unknown_export_is_a_404(make_user):
    client = verified_client(Client(), make_user(Role.BUSINESS_MANAGER))
    assert client.get(reverse("reports:export", args=["no-such-list"])).status_code == 404


def test_the_yearly_pack_as_pdf_and_xlsx(seeded, make_user, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    client = verified_client(Client(), make_user(Role.EXECUTIVE_MEMBER))
    url = reverse("reports:pack")
    pdf = download(
        client,
        ask(client, url, {"year": "2026", "format": "pdf"}, django_capture_on_commit_callbacks),
    )
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    for page in reader.pages:
        assert "OFFICIAL-SENSITIVE" in page.extract_text()
    assert "Reporting year 2026 to 2027" in text
    assert "Notifications to the national Panel within 5 working days" in text
    assert "How it is counted" in text and "Casey" not in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    workbook = load_workbook(
        io.BytesIO(
            download(
                client,
                ask(
                    client,
                    url,
                    {"year": "2026", "format": "xlsx"},
                    django_capture_on_commit_callbacks,
                ),
            )
        )
    )
    assert len(workbook.sheetnames) >= 5
    assert workbook.sheetnames[0] == "Contents"
    assert "Notifications on time" in workbook.sheetnames
    contents = [row for row in workbook["Contents"].iter_rows(values_only=True)]
    assert (
        "Notifications on time",
        "Notifications to the national Panel within 5 working days",
    ) == contents[[r[0] for r in contents].index("Notifications on time")][:2]


def test_the_pack_for_a_year_that_does_not_exist_is_an_error(make_user):
    client = verified_client(Client(), make_user(Role.BUSINESS_MANAGER))
    response = client.post(reverse("reports:pack"), {"year": "3000", "format": "pdf"})
    assert response.status_code == 200
    assert "Choose a reporting year from the list" in response.content.decode()
    assert not GeneratedFile.objects.exists()


def test_who_may_export_and_who_may_read_reports(make_user):
    executive = verified_client(Client(), make_user(Role.EXECUTIVE_MEMBER))
    assert executive.get(reverse("reports:dashboard")).status_code == 200
    assert executive.get(reverse("reports:exports")).status_code == 403
    member = verified_client(Client(), make_user(Role.PANEL_MEMBER))
    assert member.get(reverse("reports:dashboard")).status_code == 403
