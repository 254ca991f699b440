"""One JSON object per log line, for a log collector (settings.LOGGING, gunicorn.conf.py)."""

import logging

from django.conf import settings
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from medborgarloften.outages import cannot_reach_database, describe
from promises.client_ip import client_ip_from_meta

# Gunicorn's access log passes its request facts as a dict of one-letter atoms.
ACCESS_ATOMS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "a": "user_agent",
}


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", True)
        super().__init__(*args or (["levelname", "name", "message"],), **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        # Django logs an unhandled error with the request object: keep what identifies it.
        request = log_data.pop("request", None)
        if request is not None and hasattr(request, "get_full_path"):
            log_data["method"] = request.method
            log_data["path"] = request.get_full_path()
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, field in ACCESS_ATOMS.items():
                if atom in record.args:
                    log_data[field] = record.args[atom]
            if "h" in record.args and settings.configured:
                # Behind a load balancer remote_addr is the balancer: name the visitor as the
                # login limits see them.
                log_data["client_addr"] = client_ip_from_meta(
                    {
                        "REMOTE_ADDR": record.args["h"],
                        "HTTP_X_FORWARDED_FOR": record.args.get("{x-forwarded-for}i"),
                    },
                    settings.TRUSTED_PROXY_COUNT,
                )


class OneLineOutages(logging.Filter):
    """Log a request that failed because the database cannot be reached as one line naming the
    cause, for every handler (it sits on the `django.request` logger).

    During an outage every request ends the same way, hundreds a second: a traceback for each
    (5-8 KB) would flood the log collector and bury the line that says what happened. Any other
    database error keeps its traceback.
    """

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and cannot_reach_database(error):
            record.msg, record.args = f"{record.getMessage()} ({describe(error)})", ()
            record.exc_info = record.exc_text = None
        return True
