"""How many problem reports one address may send: the form takes posts from anyone, so without a
limit one sender could fill the list the council reads (and the database) in seconds."""

import logging

from django.conf import settings
from django.core.cache import cache
from redis import RedisError

from promises.client_ip import client_ip

logger = logging.getLogger(__name__)
HOUR = 60 * 60


def may_report(request):
    """Count one report against the visitor's address; False once PROBLEM_REPORTS_PER_HOUR
    were sent within the hour since the address's first counted report.

    The count is kept in the cache: shared by every server with Redis, else each process's own.
    Adding to it leaves its expiry as the first report set it.
    """
    key = f"problem-reports:{client_ip(request)}"
    try:
        cache.add(key, 0, HOUR)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, count := 1, HOUR)
    except RedisError:
        # A report is worth more than the limit: while Redis is away, reports are taken.
        logger.warning("Cache unavailable, problem report not counted", exc_info=True)
        return True
    return count <= settings.PROBLEM_REPORTS_PER_HOUR
