"""Development email: each message is written whole to var/mail/<timestamp>-<n>.eml, and one
line per email says who it is to, its subject and where to read it. The line goes to the log
(each process's console under `make run`).

`make run` uses it (development settings, when EMAIL_URL is not set). A live install refuses to
start with it (settings: UNSENT_EMAIL_BACKENDS), as it sends nothing.
"""

import logging
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class EmailBackend(BaseEmailBackend):
    _lock = threading.Lock()

    def __init__(self, *, file_path=None, stream=None, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        folder = file_path or getattr(settings, "EMAIL_FILE_PATH", None)
        self.folder = Path(folder) if folder else Path(settings.BASE_DIR) / "var" / "mail"
        self.stream = stream  # None: the line goes to the log, under this module's name

    def _new_file(self):
        """A file of its own, even when the web process and the worker send in one second."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        n = 1
        while True:
            path = self.folder / f"{stamp}-{n}.eml"
            try:
                return path, path.open("xb")
            except FileExistsError:
                n += 1

    def send_messages(self, email_messages):
        sent = 0
        with self._lock:
            for message in email_messages:
                if not message.recipients():
                    continue
                path, file = self._new_file()
                with file:
                    file.write(message.message().as_bytes(linesep="\n"))
                line = (
                    f"Email to {', '.join(message.recipients())}: {message.subject!r}; "
                    f"read it in {path}"
                )
                if self.stream is None:
                    logger.info(line)
                else:
                    self.stream.write(line + "\n")
                    self.stream.flush()
                sent += 1
        return sent
