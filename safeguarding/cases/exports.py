"""The case list as a CSV file."""

import csv

from django.http import HttpResponse

HEADERS = [
    "Reference",
    "Pseudonym",
    "Stage",
    "Status",
    "Nature",
    "Incident date",
    "Children",
    "Next deadline",
    "Overdue deadlines",
]


def case_list_csv(rows, *, filename_day):
    """(response, how many cases) for the filtered case list."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{filename_day.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(HEADERS)
    exported = 0
    for case in rows:
        writer.writerow(
            [
                case.reference,
                case.pseudonym,
                case.get_stage_display(),
                case.get_status_display(),
                case.get_nature_display(),
                case.incident_date or "",
                case.child_count,
                getattr(case, "next_due", None) or "",
                getattr(case, "overdue_count", ""),
            ]
        )
        exported += 1
    return response, exported
