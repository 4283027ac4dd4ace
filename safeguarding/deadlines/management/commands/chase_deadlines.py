"""Run the chase once (for installs that use cron instead of Celery beat), or see what it
would send with --dry-run."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.deadlines import chasing
from safeguarding.deadlines.calendar import is_working_day
from safeguarding.outbox.sending import send_pending


class Command(BaseCommand):
    help = "Chase every deadline that needs a reminder today, once."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")
        parser.add_argument("--date", help="Chase as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--force", action="store_true", help="Run on a weekend or holiday too.")

    def handle(self, *args, dry_run=False, date=None, force=False, **options):
        today = self._date(date) if date else timezone.localdate()
        if not force and not is_working_day(today):
            self.stdout.write(f"{today} is not a working day: nothing chased (use --force).")
            return
        result = chasing.chase(today=today, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Dry run for {today}: {len(result['planned'])} reminders.")
            for p in result["planned"]:
                d = p.deadline
                self.stdout.write(
                    f"  {p.rung:<12} user {p.recipient_id:<6} {d.get_kind_display()} "
                    f"(case {d.case_id}, due {d.due_date})"
                )
            return
        sent = send_pending()
        self.stdout.write(
            f"{today}: {result['missed']} deadlines marked missed, {result['reminders']} "
            f"reminders, {result['emails']} emails written, {sent} sent."
        )

    def _date(self, value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError("--date must look like 2026-11-24") from error
