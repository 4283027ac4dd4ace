"""Checking and adding an uploaded chronology: the work itself, done in the web request for a
small file and by the worker for a large one (tasks.py). Progress is reported as it goes;
nothing is added until every row has passed and the contributor has seen the entries.

Safe to run twice: a check claims its upload with a conditional update (a second run finds
it claimed and does nothing), and adding happens in one transaction that first makes sure the
upload is still waiting to be added.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from safeguarding.history import history_of

from .models import ChronologyEntry, ChronologyUpload, InformationRequest, PendingEntry
from .sheet_reader import SheetRefused, read_sheet

log = logging.getLogger(__name__)
U = ChronologyUpload.Status

# Files up to these sizes are checked while the person waits (well under a second: a few
# thousand rows; an .xlsx is compressed, so holds several times the rows of a CSV of the same
# size); larger ones in the background. The same for adding, by the number of entries.
# Measured on PostgreSQL (2 cores): 10,000 rows checked in 1.3 s (XLSX, 245 KB) or 0.5 s
# (CSV, 1.8 MB); 10,000 entries added in 1.0 s.
INLINE_CHECK_MAX_BYTES = {"xlsx": 64 * 1024, "csv": 128 * 1024}
INLINE_ADD_MAX_ENTRIES = 1_000
# Background work not finished after this long has lost its worker (or its message).
STALLED_AFTER = timedelta(minutes=30)
BATCH = 1_000
FAILED_MESSAGE = (
    "The file could not be checked. Upload it again; if it happens again, tell the "
    "partnership team."
)


def sha256_of(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def checked_at_once(file_format, size):
    """Whether a file is small enough to check while the person waits."""
    return size <= INLINE_CHECK_MAX_BYTES.get(file_format, 0)


def is_stalled(upload, *, now=None):
    """Background work that should long have finished: its worker died or its message was
    lost. The contributor may cancel it and upload again."""
    now = now or timezone.now()
    if upload.status not in ChronologyUpload.WORKING:
        return False
    return (upload.started_at or upload.uploaded_at) < now - STALLED_AFTER


def _progress(pk, phase_status):
    def report(per_cent, note=""):
        ChronologyUpload.objects.filter(pk=pk, status=phase_status).update(
            progress=max(0, min(int(per_cent), 99)), progress_note=note[:200]
        )

    return report


def read(upload, file, progress=None):
    """Check the file against the upload's request: a Sheet, or SheetRefused."""
    request = upload.request
    return read_sheet(
        file,
        period_from=request.period_from,
        period_to=request.period_to,
        today=timezone.localdate(),
        progress=progress,
    )


def stage(upload, sheet):
    """Keep a checked file's entries, waiting to be added; the upload is now checked."""
    PendingEntry.objects.bulk_create(
        [
            PendingEntry(
                upload=upload,
                row=row.row,
                date=row.date,
                time=row.time,
                what_happened=row.what_happened,
                who=row.who,
                significance=row.significance,
            )
            for row in sheet.rows
        ],
        batch_size=BATCH,
    )
    upload.status = U.CHECKED
    upload.row_count = len(sheet.rows)
    upload.first_date = sheet.first_date
    upload.last_date = sheet.last_date
    upload.progress = 100
    upload.progress_note = ""
    upload.finished_at = timezone.now()
    upload.save()


def refused(upload, error: SheetRefused):
    upload.status = U.REFUSED
    upload.problems = [p.as_dict() for p in error.problems]
    upload.problem_count = error.total
    upload.finished_at = timezone.now()
    upload.save()


def _discard_file(upload):
    if upload.pending_file:
        upload.pending_file.delete(save=False)
        ChronologyUpload.objects.filter(pk=upload.pk).update(pending_file="")


def check(*, upload_id):
    """The worker's check of a large file. Its problems, or its entries waiting to be added."""
    now = timezone.now()
    # Waiting, or claimed long ago by a worker that died (the message came back).
    claimed = ChronologyUpload.objects.filter(
        Q(status=U.QUEUED) | Q(status=U.CHECKING, started_at__lt=now - STALLED_AFTER),
        pk=upload_id,
    ).update(status=U.CHECKING, started_at=now, progress=0)
    if not claimed:
        return None
    upload = ChronologyUpload.objects.select_related("request", "uploaded_by").get(pk=upload_id)
    upload._history_user = upload.uploaded_by
    try:
        with upload.pending_file.open("rb") as handle:
            sheet = read(
                upload,
                File(handle, name=upload.original_name),
                progress=_progress(upload_id, U.CHECKING),
            )
    except SheetRefused as error:
        with transaction.atomic():
            if _still(upload, U.CHECKING):
                refused(upload, error)
    except Exception:  # the file's failure, shown to the person; details only in the log
        log.exception("chronology upload %s could not be checked", upload_id)
        ChronologyUpload.objects.filter(pk=upload_id, status=U.CHECKING).update(
            status=U.FAILED, error=FAILED_MESSAGE, finished_at=timezone.now()
        )
    else:
        ChronologyUpload.objects.filter(pk=upload_id, status=U.CHECKING).update(
            progress=95, progress_note="Keeping the entries for you to check"
        )
        with transaction.atomic():
            if _still(upload, U.CHECKING):
                stage(upload, sheet)
    finally:
        _discard_file(upload)
    return upload


def _still(upload, status):
    """Lock the request, then the upload, and say whether it is still `status` (a newer upload
    or the contributor may have cancelled it meanwhile)."""
    InformationRequest.objects.select_for_update().filter(pk=upload.request_id).first()
    current = ChronologyUpload.objects.select_for_update().get(pk=upload.pk)
    return current.status == status


def previous_entries(request):
    """The entries of the request's last added upload: what adding another replaces."""
    return ChronologyEntry.objects.filter(request=request, upload__status=U.ADDED)


def _delete_with_history(entries, user, reason):
    """Delete entries, recording each deletion in their history in bulk (a deletion one by
    one would write a history row per entry, one query each)."""
    history = history_of(ChronologyEntry).model
    now = timezone.now()
    count = 0
    ids = []
    rows = []
    for entry in entries.iterator(chunk_size=BATCH):
        rows.append(
            history(
                history_date=now,
                history_user=user,
                history_change_reason=reason,
                history_type="-",
                **{f.attname: getattr(entry, f.attname) for f in history.tracked_fields},
            )
        )
        ids.append(entry.pk)
        if len(rows) >= BATCH:
            history.objects.bulk_create(rows)
            rows = []
    if rows:
        history.objects.bulk_create(rows)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        # Nothing refers to an entry, and its history is written above: a plain DELETE.
        count += ChronologyEntry.objects.filter(pk__in=batch)._raw_delete(entries.db)
    return count


def add(upload, user):
    """Add a checked upload's entries to the response, replacing the entries of the request's
    previous upload (entries typed in are kept). Call inside a transaction holding the
    request's lock, with the upload moved to "being added"."""
    request = upload.request
    earlier = list(
        ChronologyUpload.objects.filter(request=request, status=U.ADDED).exclude(pk=upload.pk)
    )
    replaced = _delete_with_history(
        previous_entries(request), user, f"Replaced by chronology upload {upload.pk}"
    )
    for old in earlier:
        old.status = U.REPLACED
        old._history_user = user
        old.save(update_fields=["status"])
    entries = [
        ChronologyEntry(
            request=request,
            case_id=request.case_id,
            agency_id=request.agency_id,
            date=p.date,
            time=p.time,
            what_happened=p.what_happened,
            who=p.who,
            significance=p.significance,
            upload=upload,
            upload_row=p.row,
        )
        for p in upload.pending.order_by("row").iterator(chunk_size=BATCH)
    ]
    bulk_create_with_history(
        entries,
        ChronologyEntry,
        batch_size=BATCH,
        default_user=user,
        # The upload's number, not its file name: a name may carry a child's name.
        default_change_reason=f"Added from chronology upload {upload.pk}",
    )
    upload.pending.all().delete()
    upload.status = U.ADDED
    upload.added_by = user
    upload.added_at = timezone.now()
    upload.replaced_count = replaced
    upload.progress = 100
    upload.progress_note = ""
    upload.finished_at = upload.added_at
    upload._history_user = user
    upload.save()
    return upload


def add_in_background(*, upload_id):
    """The worker's side of adding a large upload: one transaction, so that either every
    entry is added (and the previous upload's replaced) or nothing changes."""
    with transaction.atomic():
        upload = ChronologyUpload.objects.select_related("request", "added_by", "uploaded_by")
        upload = upload.filter(pk=upload_id).first()
        if upload is None or not _still(upload, U.ADDING):
            return None
        request = InformationRequest.objects.get(pk=upload.request_id)
        if not request.is_editable_by_agency:
            upload.status = U.FAILED
            upload.error = (
                f"The entries were not added: the request is now "
                f"{request.get_status_display().lower()}."
            )
            upload.finished_at = timezone.now()
            upload.save()
            upload.pending.all().delete()
            return upload
        return add(upload, upload.added_by or upload.uploaded_by)
