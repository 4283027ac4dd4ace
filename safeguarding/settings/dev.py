"""What `manage.py` uses when nothing else is said: development mode (DEBUG on unless the
environment says otherwise). Production sets DJANGO_SETTINGS_MODULE=safeguarding.settings.base
(the Dockerfile does), where DEBUG is off and SECRET_KEY is required."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR, env  # noqa: E402

# Email is written to var/mail, one file per message, with one line on the console for each
# (safeguarding.devmail), unless EMAIL_URL names a backend.
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "safeguarding.devmail.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
