"""JSON Lines for backups, with timestamps to the microsecond.

Django's JSON encoders round datetimes to milliseconds (ECMA-262 style), so a backup written
with the stock "json" or "jsonl" format would quietly change every auto_now timestamp and history
date. This format writes full ISO 8601 times; Django's own "jsonl" deserializer reads them back,
so `loaddata backup.jsonl.gz` restores the file with nothing changed.
"""

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "backup-jsonl"


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and not o.utcoffset():
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = jsonl.Deserializer
