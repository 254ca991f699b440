"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (see `make serve`).

Every value can be overridden by the environment variable named beside it.
"""

import gc
import os

wsgi_app = "medborgarloften.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Workers from the core count, as gunicorn's documentation advises, each serving one request at
# a time (gunicorn's sync worker): a page is CPU-bound Python, and the kernel hands each new
# connection to a free worker. Measured on 2 cores at 16 connections, gthread workers did worse:
# with 4 threads, threads of one process take turns on one interpreter lock (p99 two to four
# times higher); with 1 thread, a busy worker still accepts connections and queues them behind
# its request while others idle (64 clients: half the CPU unused). The sync worker keeps no
# connection alive, so it belongs behind a buffering proxy or load balancer, as in production.
# GUNICORN_THREADS above 1 switches to gthread workers with that many threads.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5  # gthread workers only
# Workers are not recycled (gunicorn's default): no leak is known, and a recycled worker stalls
# the requests queued on it while it imports Django and warms up again. Recycling every ~5 000
# requests did so every few seconds at 3 000 requests/s and was most of the kept pages' p99.
# Set GUNICORN_MAX_REQUESTS (with a tenth of it as jitter) to recycle anyway.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10


def post_worker_init(worker):
    """Once a worker has loaded the application, its objects (Django, the apps, the libraries:
    some 150 000) are moved out of the garbage collector's sight, so that a full collection walks
    only what requests made and kept. Otherwise each full collection that a large response sets
    off walks the whole application again: the national yearly report keeps some 60 000 objects
    while it is built, and its collections were a third of its data's time (issue 16;
    bench/national_report.py measures with the same)."""
    gc.freeze()


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
