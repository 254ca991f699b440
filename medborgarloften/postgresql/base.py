"""PostgreSQL that fails fast while the database cannot be reached.

When the network to the database is lost, a connection attempt waits for `connect_timeout`
before it fails. A sync worker waiting that long holds every request queued behind it, so the
whole site would hang instead of answering 503. After an attempt that failed slowly, this
process therefore does not try again for a few seconds: requests needing the database fail at
once (and get the 503 page), and the first one after the pause tries again. An attempt refused
at once (the database is down, not unreachable) costs nothing, so it does not pause.
"""

import time

from django.db.backends.postgresql import base

# An attempt that takes this long did not meet a refusal: nothing answered.
SLOW_FAILURE_SECONDS = 1
PAUSE_SECONDS = 3


class DatabaseWrapper(base.DatabaseWrapper):
    # Shared by the process's connections: every thread meets the same network.
    unreachable_until = 0.0

    def get_new_connection(self, conn_params):
        if time.monotonic() < DatabaseWrapper.unreachable_until:
            raise base.Database.OperationalError(
                "the database did not answer a moment ago; not trying again yet"
            )
        started = time.monotonic()
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            if time.monotonic() - started >= SLOW_FAILURE_SECONDS:
                DatabaseWrapper.unreachable_until = time.monotonic() + PAUSE_SECONDS
            raise
