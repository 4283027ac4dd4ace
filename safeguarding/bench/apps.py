from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark: `manage.py seed_bench` (a large fictional partnership, in bulk) and the
    query counter `make bench` switches on. Nothing here is on a page's path."""

    name = "safeguarding.bench"
    label = "bench"
    verbose_name = "Benchmark"
