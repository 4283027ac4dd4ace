"""The worker's side of uploaded chronologies: thin, and safe to run twice."""

from celery import shared_task

from . import uploading


@shared_task
def check_chronology_upload(upload_id):
    uploading.check(upload_id=upload_id)


@shared_task
def add_chronology_upload(upload_id):
    uploading.add_in_background(upload_id=upload_id)
