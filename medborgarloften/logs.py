"""One JSON object per log line, for a log collector (settings.LOGGING, gunicorn.conf.py)."""

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

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
