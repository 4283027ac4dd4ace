"""Asking for a file. The page that asks returns at once; the worker builds the file
(building.py) and reports progress; the person downloads it when it is ready."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .building import subject_for
from .kinds import kind_named
from .models import GeneratedFile
from .tasks import build_file


@transaction.atomic
def request_file(*, user, kind, params):
    """Ask for a file: kept with who asked and when, and built by the worker."""
    kind = kind_named(kind) if isinstance(kind, str) else kind
    subject = subject_for(user=user, kind=kind, params=params)
    generated = GeneratedFile.objects.create(
        kind=kind.name,
        title=kind.title(subject, params)[:200],
        params=params,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        requested_by=user,
    )
    transaction.on_commit(lambda: build_file.delay(generated.pk))
    return generated
