"""Views of the site as a service: the health check, robots.txt and the error pages."""

import logging
import sys
import time

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as default_server_error

from medborgarloften.outages import DATABASE_UNAVAILABLE, describe

logger = logging.getLogger(__name__)


@never_cache
def health(request):
    """For load balancers: 200 when the database answers, 503 naming the cause when it does not."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        # The kind of error only: its text may name hosts and users, and anyone may ask.
        logger.error("Health check: the database does not answer: %s", describe(error))
        response = JsonResponse({"status": "fel", "databas": type(error).__name__}, status=503)
        response["Retry-After"] = "30"
        return response
    milliseconds = round(1000 * (time.perf_counter() - started), 1)
    return JsonResponse({"status": "ok", "databas": "ok", "ms": milliseconds})


def robots(request):
    # Also the trivial view that the benchmark measures the serving stack's ceiling with.
    return HttpResponse("User-agent: *\nDisallow: /admin/\n", content_type="text/plain")


def server_error(request):
    """A database outage answers 503 and says so; any other error is the plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return default_server_error(request)
