"""The benchmark's work that needs the service's code (`make bench` calls it; docs/performance.md):

    manage.py bench_jobs plan --out plan.json    the people to sign in and the pages to ask for
    manage.py bench_jobs chase --out chase.json  the chase over the open deadlines, timed
    manage.py bench_jobs files --out files.json  each generated file, built and timed

`chase` runs in a transaction rolled back at the end (nothing is sent, and the next run finds
the same backlog): its time, its queries, its peak memory (the whole process's, Django
included, and Python's own allocations during the run), and the most single-reminder emails
any one person got. It runs only on a benchmark database (seed_bench's rules).
"""

import json
import resource
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.template.loader import get_template
from django.utils import timezone

from safeguarding.bench import pages
from safeguarding.deadlines import chasing
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.files import kinds
from safeguarding.outbox.models import OutboundEmail


class Rollback(Exception):
    pass


def count_queries():
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    return counter, wrapper


def peak_rss_mib():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Command(BaseCommand):
    help = "The benchmark's plan of pages, and its timed jobs (the chase, the files)."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["plan", "chase", "files"])
        parser.add_argument("--out", required=True)
        parser.add_argument("--requests", type=int, default=80, help="Per page.")

    def handle(self, *args, job, out, requests, **options):
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not name.startswith("test_"):
            raise CommandError(f"{name!r} is not a benchmark database.")
        result = getattr(self, job)(requests=requests)
        with open(out, "w") as f:
            json.dump(result, f, indent=2, default=str)

    def plan(self, *, requests):
        return pages.plan(requests=requests)

    def chase(self, **options):
        # Warm, as the worker that runs it each morning is: the calendar's bank holidays and
        # the email templates are loaded once per process, not per chase.
        current_calendar().add_working_days(timezone.localdate(), 1)
        get_template("email/reminders.txt"), get_template("email/reminders.html")
        counter, wrapper = count_queries()
        before = peak_rss_mib()
        outcome = {}
        # Timed as it runs each morning, untraced: tracemalloc slows Python about threefold
        # and its bookkeeping would count in the process's peak. Rolled back, then run again
        # under tracemalloc for the Python figure alone.
        try:
            with transaction.atomic():
                started = time.perf_counter()
                with connection.execute_wrapper(wrapper):
                    result = chasing.chase()
                outcome["seconds"] = round(time.perf_counter() - started, 2)
                outcome["process_peak_mib"] = peak_rss_mib()
                immediate = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.IMMEDIATE)
                per_person = {}
                for recipient in immediate.values_list("recipient_id", flat=True):
                    per_person[recipient] = per_person.get(recipient, 0) + 1
                outcome.update(
                    queries=counter["n"],
                    reminders=result["reminders"],
                    emails=result["emails"],
                    missed=result["missed"],
                    most_single_reminders_to_one_person=max(per_person.values(), default=0),
                )
                raise Rollback
        except Rollback:
            pass
        try:
            with transaction.atomic():
                tracemalloc.start()
                chasing.chase()
                outcome["python_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                tracemalloc.stop()
                raise Rollback
        except Rollback:
            pass
        outcome["process_before_mib"] = before
        return outcome

    def files(self, **options):
        results = {}
        for name, job in pages.file_jobs().items():
            counter, wrapper = count_queries()
            started = time.perf_counter()
            try:
                with transaction.atomic(), connection.execute_wrapper(wrapper):
                    built = job()
                    raise Rollback
            except Rollback:
                pass
            results[name] = {
                "seconds": round(time.perf_counter() - started, 2),
                "bytes": len(built.content) if isinstance(built, kinds.Built) else len(built),
                "queries": counter["n"],
            }
            self.stdout.write(f"{name}: {results[name]['seconds']} s")
        results["_peak_mib"] = peak_rss_mib()
        return results
