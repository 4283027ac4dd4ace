"""The worker's side of generated files: thin, and safe to run twice."""

from celery import shared_task

from . import building


@shared_task
def build_file(file_id):
    building.build(file_id=file_id)


@shared_task
def sweep_files():
    """Beat's housekeeping: ask again for files whose message was lost; mark as failed those
    whose worker died while making them."""
    for pk in building.stale_queued():
        build_file.delay(pk)
    return building.give_up()
