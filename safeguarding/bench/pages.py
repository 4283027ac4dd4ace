"""What the benchmark asks for: the key pages, each as the person who uses it, the files
timed through the worker, and the files built directly (docs/performance.md).

The core's pages are listed here; each app's `bench.py` may add its own with `pages(context)`
(a list of the same dicts) and its files with `files(context)` (name -> a function returning
the file's bytes or a `files.kinds.Built`), as it adds its data with `seed(bench)`.
"""

from django.db.models import Count

from safeguarding.accounts.models import User
from safeguarding.cases.models import Case, CaseTeamMember
from safeguarding.contributions import files as chronology_files
from safeguarding.reports import pack
from safeguarding.reports.forms import year_choices

from . import seed

# The baseline every page is compared with: Django admin's list of the access log.
BASELINE = "admin: access log (baseline)"


class Context:
    """What an app's `pages` and `files` hooks are given."""

    def __init__(self):
        self.people = {
            key: User.objects.get(email=email) for key, (email, _) in seed.SIGN_IN.items()
        }
        pdeo = self.people["pdeo"]
        # The busy case: the PDEO's case with the longest chronology.
        self.busy_case = (
            Case.objects.filter(team__user=pdeo, team__role=CaseTeamMember.Role.CASE_LEAD)
            .annotate(entries=Count("chronology_entries"))
            .order_by("-entries", "pk")
            .first()
        )


def noop(*args, **kwargs):
    pass


def core_pages(context):
    busy = context.busy_case.reference
    return [
        {"name": BASELINE, "as": "admin", "path": "/admin/audit/accesslog/"},
        {"name": "home (PDEO)", "as": "pdeo", "path": "/"},
        {"name": "home (Panel member)", "as": "panel_member", "path": "/"},
        {"name": "home (agency contributor)", "as": "contributor", "path": "/"},
        {"name": "home (lead reviewer)", "as": "lead_reviewer", "path": "/"},
        {"name": "What's due (PDEO)", "as": "pdeo", "path": "/due/"},
        {"name": "What's due (lead reviewer)", "as": "lead_reviewer", "path": "/due/"},
        {"name": "case list", "as": "pdeo", "path": "/cases/"},
        {"name": "case list, overdue", "as": "pdeo", "path": "/cases/?deadline=overdue"},
        {"name": "case list, page 200", "as": "pdeo", "path": "/cases/?page=200"},
        {"name": "case list (Panel member)", "as": "panel_member", "path": "/cases/"},
        {"name": "busy case", "as": "pdeo", "path": f"/cases/{busy}/"},
        {"name": "busy case, history", "as": "pdeo", "path": f"/cases/{busy}/?section=history"},
        {"name": "busy case, chronology", "as": "pdeo", "path": f"/cases/{busy}/chronology/"},
        {"name": "request list (PDEO)", "as": "pdeo", "path": "/requests/"},
        {"name": "request list (agency contributor)", "as": "contributor", "path": "/requests/"},
        {"name": "reports dashboard", "as": "business_manager", "path": "/reports/"},
    ]


def core_files(context):
    """Built directly, timed: what the worker does for each."""
    case, pdeo, manager = (
        context.busy_case,
        context.people["pdeo"],
        context.people["business_manager"],
    )
    year = year_choices()[1][0] if len(year_choices()) > 1 else year_choices()[0][0]
    return {
        "chronology PDF": lambda: chronology_files.PDF.build(
            case, {"reference": case.reference}, pdeo, noop
        ),
        "chronology CSV": lambda: chronology_files.CSV.build(
            case, {"reference": case.reference}, pdeo, noop
        ),
        "yearly pack PDF": lambda: pack.KIND.build(
            None, {"year": year, "format": "pdf"}, manager, noop
        ),
        "yearly pack XLSX": lambda: pack.KIND.build(
            None, {"year": year, "format": "xlsx"}, manager, noop
        ),
    }


def worker_files(context):
    """Asked for through their pages and built by the worker, timed until ready. The first
    (`pair`) is asked for twice at once while /healthz is timed."""
    busy = context.busy_case.reference
    year = year_choices()[1][0] if len(year_choices()) > 1 else year_choices()[0][0]
    return [
        {
            "name": "chronology PDF via the worker",
            "as": "pdeo",
            "path": f"/cases/{busy}/chronology/pdf/",
            "pair": True,
        },
        {
            "name": "yearly pack PDF via the worker",
            "as": "business_manager",
            "path": "/reports/yearly-pack/",
            "data": {"year": year, "format": "pdf"},
        },
    ]


def plan(*, requests=80, connections=8):
    context = Context()
    page_list = core_pages(context)
    for module in seed.bench_modules():
        if hasattr(module, "pages"):
            page_list += module.pages(context)
    return {
        "people": {
            key: {
                "email": email,
                "password": seed.PASSWORD,
                "key": seed.TOTP_KEY,
                # Where each lands: an admin holds no role, and works in Django admin.
                "home": "/" if role else "/admin/",
            }
            for key, (email, role) in seed.SIGN_IN.items()
        },
        "busy_case": context.busy_case.reference,
        "busy_case_entries": context.busy_case.entries,
        "baseline": BASELINE,
        "requests": requests,
        "connections": connections,
        "pages": page_list,
        "files": worker_files(context),
    }


def file_jobs():
    context = Context()
    jobs = core_files(context)
    for module in seed.bench_modules():
        if hasattr(module, "files"):
            jobs.update(module.files(context))
    return jobs
