"""PostgreSQL that fails fast while the database cannot be reached.

When the network to the database is lost, a connection attempt waits for `connect_timeout`
before it fails. A sync worker waiting that long holds every request queued behind it, so the
whole site would hang instead of answering 503. After an attempt that failed slowly, and after a
kept connection whose check before reuse failed slowly, this process therefore does not try that
database again for a few seconds: requests needing it fail at once (and get the 503 page), and
the first one after the pause tries again. A refusal (the database is down, not unreachable)
comes at once and pauses nothing.

"Slowly" is a second or more; a server that takes that long to refuse a login, or a host name
that takes that long to resolve, pauses the attempts too, which then costs no more than a few
seconds of 503 that the slowness would have cost anyway.
"""

import time

from django.db.backends.postgresql import base

# An attempt that takes this long did not meet a refusal: nothing answered.
SLOW_FAILURE_SECONDS = 1
PAUSE_SECONDS = 3


class DatabaseWrapper(base.DatabaseWrapper):
    # (host, port) → when to try again; shared by the process's connections to that database,
    # since they all meet the same network.
    unreachable_until = {}

    def get_new_connection(self, conn_params):
        if time.monotonic() < self.unreachable_until.get(self.address, 0):
            raise base.Database.OperationalError(
                "the database did not answer a moment ago; not trying again yet"
            )
        started = time.monotonic()
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            self.pause_if_slow(started)
            raise

    def is_usable(self):
        """The check of a kept connection before reuse: over a lost network it fails only after
        the TCP user timeout, and a new connection would then wait again."""
        started = time.monotonic()
        usable = super().is_usable()
        if not usable:
            self.pause_if_slow(started)
        return usable

    @property
    def address(self):
        return self.settings_dict["HOST"], self.settings_dict["PORT"]

    def pause_if_slow(self, started):
        if time.monotonic() - started >= SLOW_FAILURE_SECONDS:
            self.unreachable_until[self.address] = time.monotonic() + PAUSE_SECONDS
