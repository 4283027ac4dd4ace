"""Making a file, in the worker: progress reported as it goes, failures kept for the person
(details only in the log)."""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from .kinds import kind_named
from .models import GeneratedFile

log = logging.getLogger(__name__)
S = GeneratedFile.Status

# A file still waiting after this long lost its message (a broker restart): ask again.
REQUEUE_AFTER = timedelta(minutes=5)
# A file still being made after this long lost its worker: it failed.
GIVE_UP_AFTER = timedelta(hours=1)
FAILED_MESSAGE = "The file could not be made. Try again, or tell the partnership team."


def subject_for(*, user, kind, params):
    """The file's subject, through the gate for `user`: Http404 outside it, 403 without the
    kind's permission."""
    if not user.has_perm(kind.permission):
        raise PermissionDenied(kind.permission)
    return kind.subject(user, params)


def _progress(pk):
    def report(per_cent, note=""):
        GeneratedFile.objects.filter(pk=pk, status=S.BUILDING).update(
            progress=max(0, min(int(per_cent), 99)), progress_note=note[:200]
        )

    return report


def build(*, file_id):
    """Make one file (the worker's task). Safe to run twice: only the run that moves it from
    waiting to being made builds it."""
    claimed = GeneratedFile.objects.filter(pk=file_id, status=S.QUEUED).update(
        status=S.BUILDING, started_at=timezone.now(), progress=0
    )
    if not claimed:
        return None
    generated = GeneratedFile.objects.select_related("requested_by").get(pk=file_id)
    kind = kind_named(generated.kind)
    user = generated.requested_by
    try:
        subject = subject_for(user=user, kind=kind, params=generated.params)
        built = kind.build(subject, generated.params, user, _progress(file_id))
    except Exception:  # any failure is the file's, shown to the person; details in the log
        log.exception("generated file %s (%s) failed", file_id, generated.kind)
        GeneratedFile.objects.filter(pk=file_id).update(
            status=S.FAILED, error=FAILED_MESSAGE, finished_at=timezone.now()
        )
        return None
    generated.file.save("file", ContentFile(built.content), save=False)
    GeneratedFile.objects.filter(pk=file_id).update(
        status=S.READY,
        progress=100,
        progress_note="",
        file=generated.file.name,
        filename=built.filename[:200],
        content_type=built.content_type,
        size=len(built.content),
        sha256=hashlib.sha256(built.content).hexdigest(),
        description=built.description[:200],
        finished_at=timezone.now(),
    )
    return generated


def stale_queued(*, now=None):
    """Files still waiting long after they were asked for: their message was lost."""
    now = now or timezone.now()
    return list(
        GeneratedFile.objects.filter(
            status=S.QUEUED, requested_at__lt=now - REQUEUE_AFTER
        ).values_list("pk", flat=True)
    )


def give_up(*, now=None):
    """Files being made long after their worker started: it died. They failed."""
    now = now or timezone.now()
    return GeneratedFile.objects.filter(
        status=S.BUILDING, started_at__lt=now - GIVE_UP_AFTER
    ).update(status=S.FAILED, error=FAILED_MESSAGE, finished_at=now)
