"""The kinds of file the service makes. Each app registers its own (the chronology PDF, the case
list export...) so this core app never imports them.

A kind says who may have it (a permission), what it is about, found again through the
visibility gate for the person who asked (`subject`), and how it is made (`build`). The subject
is found again when the worker builds the file and at every download, so a person who has lost
access to a case since asking gets nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str
    # What the access log says was read, e.g. "NSCP-2026-001 integrated chronology PDF".
    description: str


@dataclass(frozen=True)
class FileKind:
    name: str
    permission: str
    # (user, params) -> the object the file is about, through its gate (Http404 outside it),
    # or None for a file about no one object (an export of a list).
    subject: Callable
    # (subject, params, user, progress) -> Built; progress(per_cent, note) reports how far.
    build: Callable
    # (subject, params) -> the file's title, shown while it is made.
    title: Callable
    # The access log's word for a download: "pdf" or "export".
    action: str


_KINDS: dict[str, FileKind] = {}


def register(kind: FileKind):
    _KINDS[kind.name] = kind


def kind_named(name) -> FileKind:
    kind = _KINDS.get(name)
    if kind is None:
        raise Http404("No such kind of file")
    return kind
