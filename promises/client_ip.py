"""The visitor's address, worked out one way for the whole site: the login limits (django-axes),
the limit on accessibility reports and the access log all use it.

Behind a load balancer REMOTE_ADDR is the balancer's address, the same for every visitor. Each
proxy appends the address it received the request from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies in front of the site the last that many entries were written by
them; anything further left was sent by the visitor and may be made up. The visitor is therefore
the TRUSTED_PROXY_COUNT-th entry from the right. With 0 (the default) the header is ignored and
REMOTE_ADDR is the visitor, so a visitor cannot choose their own address.

This sits in the lowest layer so that the settings and every app can use the one rule.
"""

from django.conf import settings
from python_ipware import IpWare


def client_ip(request):
    """The visitor's address as text (None if the request has none)."""
    return client_ip_from_meta(request.META, settings.TRUSTED_PROXY_COUNT)


def client_ip_from_meta(meta, trusted_proxies):
    """The visitor's address from WSGI-style request values (REMOTE_ADDR, HTTP_X_FORWARDED_FOR)."""
    if trusted_proxies:
        # python-ipware counts the proxies listed in the header after the visitor; the nearest
        # proxy is not listed there (it is REMOTE_ADDR). Not strict: entries a visitor added in
        # front of the trusted ones do not make the header unusable.
        forwarded = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=trusted_proxies - 1)
        ip, _trusted = forwarded.get_client_ip(meta, strict=False)
        if ip is not None:
            return str(ip)
    # No proxy configured, or the request did not come through the proxies (no header).
    ip, _trusted = IpWare(precedence=("REMOTE_ADDR",)).get_client_ip(meta)
    return str(ip) if ip is not None else None
