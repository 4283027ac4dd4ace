"""What `manage.py` uses when nothing else is said: development mode (DEBUG on unless the
environment says otherwise). Production sets DJANGO_SETTINGS_MODULE=safeguarding.settings.base
(the Dockerfile does), where DEBUG is off and SECRET_KEY is required."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
