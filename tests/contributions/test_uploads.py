import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.contributions.uploads import check_upload

from . import files


def upload(name, data, claimed="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=claimed)


@pytest.mark.parametrize(
    "name, make, served_as",
    [
        ("report.pdf", files.pdf, "application/pdf"),
        ("photo.png", files.png, "image/png"),
        (
            "summary.docx",
            files.docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            files.xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("notes.txt", lambda: "Notes with accents: café, naïve.\n".encode(), "text/plain"),
        ("REPORT.PDF", files.pdf, "application/pdf"),
    ],
)
def test_allowed_files_are_recognised_by_content(name, make, served_as):
    content_type, sha256 = check_upload(upload(name, make()))
    assert content_type == served_as
    assert len(sha256) == 64


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "report.pdf",
            b"This is plain text pretending to be a PDF.",
            "named as a PDF but it is not",
        ),
        ("report.pdf", files.png(), "named as a PDF but it is not"),
        ("photo.png", b"%PDF-1.4 not really", "named as a PNG image but it is not"),
        ("run.exe", b"MZ\x90\x00\x03" + b"\x00" * 60, "must be a PDF, Word"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 60, "must be a PDF, Word"),
        ("binary.txt", b"\x00\x01\x02\x03binary", "must be a PDF, Word"),
        ("empty.pdf", b"", "is empty"),
        ("noextension", b"Just text", "must be a PDF, Word"),
    ],
)
def test_refused_files_say_why(name, data, message):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, data, claimed="application/pdf"))
    assert message in " ".join(error.value.messages)


def test_files_over_the_limit_are_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="smaller than"):
        check_upload(upload("big.txt", b"a" * 1025))
    assert check_upload(upload("ok.txt", b"a" * 1024))[0] == "text/plain"
