"""Information requests as a list for the reports' exports."""

from safeguarding.reports.downloads import ListExport

from .models import InformationRequest


def _requests(period):
    return InformationRequest.objects.filter(requested_on__range=(period.start, period.end))


def _rows(period):
    for r in (
        _requests(period)
        .select_related("case", "agency")
        .order_by("requested_on", "id")
        .iterator(chunk_size=2000)
    ):
        late = r.submitted_on is not None and r.submitted_on > r.due_date
        yield [
            r.case.reference,
            r.case.pseudonym,
            r.agency.name,
            r.get_purpose_display(),
            r.requested_on,
            r.due_date,
            r.get_status_display(),
            r.submitted_on,
            r.accepted_on,
            "" if r.submitted_on is None else ("Late" if late else "On time"),
        ]


REQUESTS = ListExport(
    key="requests",
    title="Information requests",
    description="One row for each request to an agency made in the period (the date it was "
    "sent): the case, the agency, what for, when it was due, its status, and when the answer "
    "was submitted and accepted.",
    header=[
        "Reference",
        "Pseudonym",
        "Agency",
        "For",
        "Requested on",
        "Due",
        "Status",
        "Submitted on",
        "Accepted on",
        "Answer",
    ],
    rows=_rows,
    count=lambda period: _requests(period).count(),
    order=20,
)
