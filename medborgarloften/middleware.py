from django.middleware.locale import LocaleMiddleware


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish for everyone unless they chose English with the language switch.

    Django would otherwise follow the browser's Accept-Language; a Swedish public service
    answers in Swedish first, and the switch (a cookie) is the visitor's own choice.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
