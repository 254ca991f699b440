"""Public pages kept in Django's cache for visitors who are not logged in.

A kept page is filed under the current revision of the public data: a random token in the
database that every edit of promises or follow-ups replaces once its transaction has committed.
Replacing it makes every kept page stale at once, on every server, and a reader that reads the
revision before the data can never file an old page under a new revision.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from promises.models import Membership, PublicRevision, new_revision_token

PUBLIC_APPS = {"promises", "followup"}
# Roles decide who may edit, not what the public sees.
NOT_PUBLIC = {Membership, PublicRevision}


def current_revision():
    # Read on every kept page served, so plain SQL: the ORM would cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {PublicRevision._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:  # an emptied database (flush, restore): name its state afresh
        return PublicRevision.objects.get_or_create(pk=1)[0].token
    return row[0]


def renew_revision():
    PublicRevision.objects.update_or_create(pk=1, defaults={"token": new_revision_token()})


def data_changed():
    """Make every kept page stale when the current transaction commits.

    An edit of many rows renews the revision once: a renewal already waiting in this transaction
    or one enclosing it will run whenever this change is committed.
    """
    connection = transaction.get_connection()
    active = set(connection.savepoint_ids)
    waiting = (sids for sids, func, *_ in connection.run_on_commit if func is renew_revision)
    if not any(sids <= active for sids in waiting):
        # Robust: the edit is committed whatever happens here; a failure is logged by Django.
        transaction.on_commit(renew_revision, robust=True)


def on_model_change(sender, **kwargs):
    if sender._meta.app_label in PUBLIC_APPS and sender not in NOT_PUBLIC:
        data_changed()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, dispatch_uid=f"page_cache_{signal}")


# The query parameters the public pages read; any other would only add copies to the cache.
PAGE_PARAMETERS = ("q", "omrade", "ar", "tema", "part", "status", "sida")


def cache_key(request):
    parameters = [(name, request.GET.getlist(name)) for name in PAGE_PARAMETERS]
    address = repr((request.path, [p for p in parameters if p[1]]))
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{current_revision()}:{get_language()}:{digest}"


def public_page(view):
    """Serve the view from the cache to visitors who are not logged in, when caching is on.

    The council sees its drafts, so its pages are never kept nor served from the cache.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = cache_key(request)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, response, seconds)
        return response

    return cached_view
