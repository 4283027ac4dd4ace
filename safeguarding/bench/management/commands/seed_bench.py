"""`manage.py seed_bench --scale N --into DATABASE`: a large fictional partnership for the
benchmark (docs/performance.md), written in bulk.

It writes only into the database it is told by name, which must be the one the settings point
at, must be PostgreSQL, must have "bench" in its name (or be a test database, test_...),
and must hold no case yet (or be
emptied with --reset); with DEBUG off it also needs --force, as seed_demo does. So it never
fills the development, demo or a live database by accident.
"""

import json
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from safeguarding.bench import seed as generator
from safeguarding.cases.models import Case


class Command(BaseCommand):
    help = "Fill the benchmark database with a large fictional partnership (issue 18)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1: 10,000 cases.")
        parser.add_argument(
            "--into",
            required=True,
            help="The database's name, again: it must be the one DATABASE_URL points at.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Empty the database first (flush)."
        )
        parser.add_argument("--force", action="store_true", help="Run with DEBUG off.")
        parser.add_argument("--manifest", help="Write what was made, as JSON, to this file.")

    def handle(self, *args, scale, into, reset, force, manifest, **options):
        name = connection.settings_dict["NAME"]
        # The name first: refusing the wrong database is the check that matters anywhere.
        if into != name:
            raise CommandError(f"--into {into!r} is not the database in use ({name!r}).")
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench writes with PostgreSQL's COPY: use PostgreSQL.")
        if "bench" not in name and not name.startswith("test_"):
            raise CommandError(
                f"{name!r} is not a benchmark database: its name must contain 'bench' "
                "(or be a test database the test runner made)."
            )
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_bench only runs with DEBUG on (its sign-in details are public); "
                "use --force for the benchmark's own database."
            )
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        if Case.objects.exists():
            raise CommandError(f"{name!r} already holds cases: use --reset to start again.")
        started = time.monotonic()
        with transaction.atomic():
            bench = generator.seed(scale=scale, stdout=self.stdout)
        elapsed = time.monotonic() - started
        summary = {
            "scale": scale,
            "database": name,
            # The day the data is laid out from (what falls due when): `make bench` seeds again
            # on a later day (safeguarding.bench.run.why_seed_again).
            "seeded_on": bench.today.isoformat(),
            "time_zone": settings.TIME_ZONE,
            "seconds": round(elapsed, 1),
            "plan": bench.plan,
            "rows": bench.writer.counts,
            "busy_case": bench.busy_case.reference,
            "sign_in": {key: email for key, (email, _) in generator.SIGN_IN.items()},
        }
        if manifest:
            with open(manifest, "w") as out:
                json.dump(summary, out, indent=2, sort_keys=True)
        total = sum(bench.writer.counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"seed_bench: {total:,} rows at scale {scale} in {elapsed:.1f} s")
        )
