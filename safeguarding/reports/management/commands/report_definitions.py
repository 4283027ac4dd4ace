"""Print every registered figure's definition as Markdown (docs/reports.md is written from
this, and a test checks the two agree)."""

from django.core.management.base import BaseCommand

from safeguarding.reports import figures
from safeguarding.reports.downloads import all_exports


class Command(BaseCommand):
    help = "Write the definitions of every report figure and export as Markdown."

    def handle(self, *args, **options):
        self.stdout.write(render())


def render():
    lines = [
        "# Reports: what each figure counts",
        "",
        "Written by `python manage.py report_definitions > docs/reports.md` from the figures",
        "each app registers (`safeguarding/reports/figures.py`); a test fails when this page and",
        "the code disagree. The same words are on the reports page beside each figure, in the",
        "yearly report pack and in the CSPR Panel's highlight report to the Executive Group.",
        "",
        "The highlight report (`panel/highlight.py`) shows, over the time since the last issued",
        "report (from the day after its period ends; the first from the start of the reporting",
        "year): referrals and their screening, notifications within 5 working days, rapid",
        "reviews within 15 working days and their decisions, local reviews started, completed",
        "and published, local reviews and final reports in time, and actions by RAG status. It",
        "adds, as they stand on the day it is issued: each local review waiting to be published",
        "against its 6-month clock (D8), the Panel's decisions in the period by kind, the overdue",
        "actions (not closed or carried, their due date before that day: every one counted by its",
        "owner agency, and the 25 longest overdue listed, `highlight.OVERDUE_LISTED`; the action",
        "log has them all) and every action",
        "the Panel has escalated that is not yet finished. An issued version keeps these as",
        "counted that day and is never counted again.",
        "",
        "Periods: a reporting year runs from 1 April to 31 March; any dates may be chosen",
        "instead. Working days leave out weekends, bank holidays in England and the",
        "partnership's closure days. Figures count the whole partnership's records and name no",
        "child.",
        "",
    ]
    titles = dict(figures.GROUPS)
    group = None
    for figure in figures.all_figures():
        if figure.group != group:
            group = figure.group
            lines += [f"## {titles.get(group, group)}", ""]
        lines += [f"### {figure.title}", "", figure.definition, ""]
    lines += ["## Exports", ""]
    for export in all_exports():
        columns = ", ".join(export.header)
        lines += [f"### {export.title}", "", export.description, "", f"Columns: {columns}.", ""]
    return "\n".join(lines)
