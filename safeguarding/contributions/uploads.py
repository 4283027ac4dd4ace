"""Checking uploaded documents by what they contain, not by what they are called.

Allowed: PDF, Word, Excel, OpenDocument, common images, and plain text. The type is detected
from the file's bytes (the `filetype` package: magic numbers, and the parts inside Office zip
files); the name's extension must agree with it, so a file that claims to be a PDF and is not
is refused. Plain text has no magic number: it must decode as UTF-8 and contain no NUL bytes.
"""

import hashlib
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

# Detected type -> (content type to serve it as, extensions a name may have)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "doc": ("application/msword", {"doc"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "xls": ("application/vnd.ms-excel", {"xls"}),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"ods"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
    "gif": ("image/gif", {"gif"}),
    "txt": ("text/plain", {"txt", "csv"}),
}
NAMES = "PDF, Word, Excel, OpenDocument, JPEG, PNG, GIF or plain text"
EXTENSION_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "doc": "a Word document",
    "xlsx": "an Excel spreadsheet",
    "xls": "an Excel spreadsheet",
    "odt": "an OpenDocument text",
    "ods": "an OpenDocument spreadsheet",
    "jpg": "a JPEG image",
    "jpeg": "a JPEG image",
    "png": "a PNG image",
    "gif": "a GIF image",
    "txt": "a text file",
    "csv": "a text file",
}


def max_bytes():
    return settings.UPLOAD_MAX_BYTES


def _looks_like_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def check_upload(upload):
    """Return (content_type, sha256) for an acceptable file, or raise ValidationError."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
    upload.seek(0)
    head = upload.read(65536)  # enough for the parts list of an Office file
    upload.seek(0)
    kind = filetype.guess(head)
    detected = kind.extension if kind else ("txt" if _looks_like_text(head) else None)
    if detected == "jpeg":
        detected = "jpg"
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if detected not in ALLOWED:
        raise ValidationError(f"The selected file must be a {NAMES} file")
    content_type, extensions = ALLOWED[detected]
    if extension not in extensions:
        claimed = EXTENSION_NAMES.get(extension)
        if claimed:
            raise ValidationError(f"The selected file is named as {claimed} but it is not one")
        raise ValidationError(f"The selected file must be a {NAMES} file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()
