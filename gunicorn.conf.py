"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (see `make serve`).

Every value can be overridden by the environment variable named beside it.
"""

import os

wsgi_app = "medborgarloften.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Workers from the core count, as gunicorn's documentation advises. One thread each: a page is
# CPU-bound Python, and threads in one process take turns on one interpreter lock. Measured on
# 2 cores at 16 connections, 4 threads per worker gave less throughput and a p99 two to four
# times higher (uncached pages ~400 ms instead of ~150-300 ms, kept pages ~100 ms instead of
# ~15 ms). The gthread worker still keeps idle keep-alive connections open with one thread.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 1))

# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Workers are not recycled (gunicorn's default): no leak is known, and a recycled worker stalls
# the requests queued on it while it imports Django and warms up again. Recycling every ~5 000
# requests did so every few seconds at 3 000 requests/s and was most of the kept pages' p99.
# Set GUNICORN_MAX_REQUESTS (with a tenth of it as jitter) to recycle anyway.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10

# Gunicorn 27 otherwise writes a control socket under the home folder.
control_socket_disable = True

# Access and error logs go to stdout as JSON lines, like the application's own log.
accesslog = "-"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "medborgarloften.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
