"""After the partnership changes DEADLINE_RULES (for example D5's anchor, from the awareness
date to the notification), recompute every notification's clocks from their own dates and the
rules now in force. Each clock keeps the rule text that produced it, and its history shows the
change."""

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Recompute the notification clocks (D1–D5) from today's rules."

    def handle(self, *args, **options):
        count = services.recompute_all_clocks()
        self.stdout.write(f"Clocks recomputed for {count} notifications.")
