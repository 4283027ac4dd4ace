"""gunicorn's settings for the production image (the Dockerfile's CMD; docker-compose.yml runs it).

Command-line arguments still override these (the health check test binds to a free port).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Sync workers close the connection after every response, so a body the service refused
# unread (RequestBodyLimitMiddleware) is never drained by gunicorn either.
worker_class = "sync"

# Forwarded headers (X-Forwarded-Proto and friends) are believed only from the proxy in front:
# its address as this container sees it, comma separated. Never "*" (anyone who can reach the
# port could then claim HTTPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log: the path without its query string (case searches put names in `?q=`), and no
# Referer (the previous page's query string) or user agent.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss'

# No runtime control socket (gunicornc): nothing here needs it, and it is one less way in.
control_socket_disable = True
