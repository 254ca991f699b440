"""Public pages kept in Django's cache for visitors who are not logged in: the HTTP side.

A kept page is filed with the revision of the public data it was made from
(promises/revision.py) and made afresh once the revision has changed. The revision is its
scope's: an area's, a promise's and an indicator's pages (the addresses with an area's slug)
under the area's, every other page under the national one. With a shared cache the revision's
tokens are read from their mirror there, in the same read as the page, so a kept page costs one
cache read and no query; without one, one query.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language
from redis import RedisError

from promises.revision import (
    GLOBAL,
    NAMESPACE,
    NATIONAL,
    area_scope,
    current_revision,
    mirror_key,
    mirrored_revision,
    revision_of,
    shared_cache,
)

logger = logging.getLogger(__name__)


# The query parameters the public pages read; any other would only add copies to the cache.
PAGE_PARAMETERS = ("q", "omrade", "ar", "tema", "part", "status", "sida")
# Cookies that make a page the visitor's own: a login (the council sees its drafts) or a message
# waiting to be shown. Other cookies, such as a statistics cookie of the municipality's own
# site, leave the public page as it is.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# Says whether a page was served as kept ("hit") or made afresh and kept ("miss"), as caching
# proxies do (a page not kept has none): for operators, and bench/season.py counts them.
CACHE_HEADER = "X-Cache"


def public_page(view):
    """Mark a view whose page may be kept for visitors who are not logged in; its HTML is sent
    to them gzip-compressed when they accept it."""

    @wraps(view)
    def public_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["Accept-Encoding"])
            if accepts_gzip(request) and not PERSONAL_COOKIES & request.COOKIES.keys():
                compress(response)
        return response

    public_view.public_page = True
    return public_view


def compress(response):
    """Compress a page as Django's GZipMiddleware does, with random padding against BREACH (not
    through the middleware, whose reading of Accept-Encoding differs from `accepts_gzip`, which
    names the kept copy).

    Only pages for visitors without a session are compressed: a council member's page names
    them and may hold drafts. Downloads are compressed, or not, by public/built_files.py.
    """
    if response.streaming or response.has_header("Content-Encoding"):
        return
    content = compress_string(response.content, max_random_bytes=GZipMiddleware.max_random_bytes)
    if len(content) < len(response.content):
        response.content = content
        response["Content-Length"] = str(len(content))
        response["Content-Encoding"] = "gzip"


def kept_match(request):
    """The resolved address of a page that may be kept, or None."""
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    request.get_host()  # refuses a host not in ALLOWED_HOSTS, as a page made afresh would
    if PERSONAL_COOKIES & request.COOKIES.keys():
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match if getattr(match.func, "public_page", False) else None


def page_scope(match):
    """The revision scope of a public address: its area's when it names one (public/urls.py),
    else the national one (which every area's edit renews too: also right for an address not
    resolved)."""
    slug = match.kwargs.get("slug") if match else None
    return area_scope(slug) if slug else NATIONAL


def accepts_gzip(request):
    """Whether the Accept-Encoding header accepts gzip: named, or by `*` when it is not named;
    a quality of 0 (`gzip;q=0`) refuses it."""
    qualities = {}
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, parameters = coding.partition(";")
        quality = parameters.replace(" ", "").lower().removeprefix("q=")
        try:
            qualities[name.strip().lower()] = float(quality or 1)
        except ValueError:
            qualities[name.strip().lower()] = 0
    return qualities.get("gzip", qualities.get("*", 0)) > 0


def kept_query(request):
    """The query parameters the pages read: pages differing only in others share one copy."""
    query = QueryDict(mutable=True)
    for name in PAGE_PARAMETERS:
        if values := request.GET.getlist(name):
            query.setlist(name, values)
    return query


def kept_address(request):
    """The address a kept page is made for, and the one its own links may show."""
    query = kept_query(request).urlencode()
    return f"{request.path}?{query}" if query else request.path


def page_key(request):
    digest = hashlib.sha256(kept_address(request).encode()).hexdigest()
    # Pages and downloads are sent gzip-compressed to clients that accept it.
    encoding = "gzip" if accepts_gzip(request) else "identity"
    return f"page:{NAMESPACE}:{get_language()}:{encoding}:{digest}"


def kept_page(key, scope):
    """The current revision of `scope`, and the page kept under `key` if it was made from that
    revision."""
    if shared_cache():
        mirrors = [mirror_key(GLOBAL), mirror_key(scope)]
        found = cache.get_many([*mirrors, key])
        if all(mirror in found for mirror in mirrors):
            revision = revision_of([found[mirror] for mirror in mirrors])
        else:
            revision = mirrored_revision(scope)
    else:
        found = {key: cache.get(key)}
        revision = current_revision(scope)
    kept_revision, response = found.get(key) or (None, None)
    return revision, response if kept_revision == revision else None


class PublicPageCacheMiddleware:
    """Serve kept public pages before CSRF, login, messages and the view are run.

    It sits right after the language middleware, so the key knows the visitor's language, and a
    page is kept as it leaves the middlewares below, with their headers (the content security
    policy, X-Frame-Options); those above add theirs to kept and fresh pages alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (match := kept_match(request)) is None:
            return self.get_response(request)
        key = page_key(request)
        try:
            # The revision is read before the page's data.
            revision, response = kept_page(key, page_scope(match))
        except RedisError:
            # The cache only saves work: without it every visitor gets a page made afresh.
            logger.warning("Page cache unavailable, page made afresh", exc_info=True)
            return self.get_response(request)
        if response is not None:
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and may_be_kept(response):
            # What the session middleware adds to the page made afresh, for caches downstream.
            patch_vary_headers(response, ["Cookie"])
            if keep(key, revision, response):
                response[CACHE_HEADER] = "miss"
        return response


def not_kept(response):
    """A response made from data older than the current revision (a national file served from
    its previous build, public/built_files.py): kept under that revision, it would outlive its
    bound."""
    response.made_from_older_data = True
    return response


def may_be_kept(response):
    return not response.streaming and not getattr(response, "made_from_older_data", False)


def keep(key, revision, response):
    """Whether the page could be kept."""
    try:
        cache.set(key, (revision, response), settings.PAGE_CACHE_SECONDS)
    except RedisError:
        logger.warning("Page cache unavailable, page not kept", exc_info=True)
        return False
    return True
