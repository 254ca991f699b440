import logging

from django.db import DataError
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish for everyone unless they chose English with the language switch.

    Django would otherwise follow the browser's Accept-Language; a Swedish public service
    answers in Swedish first, and the switch (a cookie) is the visitor's own choice.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class MalformedNumberMiddleware:
    """The safety net under the admin's own checks (promises/scoping.py): a number too large
    for the database, wherever it slipped through (SQLite cannot hold it, PostgreSQL refuses
    it), answers 400 with a message in Swedish instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OverflowError, DataError)):
            return None
        logger.warning("Malformed number in %s: %s", request.path, exception)
        message = _("Adressen eller formuläret innehåller ett ogiltigt tal. Inget har sparats.")
        return HttpResponseBadRequest(
            render_to_string("400_malformed.html", {"message": message}, request=request)
        )
