"""The revision of the public data: a name for its current state, replaced by every edit.

A random token in the database that every edit of promises or follow-ups replaces once its
transaction has committed. What is made from the public data (kept pages, built files: see
public/) is filed under the revision it was made from, and made afresh when the revision has
changed, so an edit makes every kept copy stale at once, on every server; since the revision is
read before the data, an old copy can never be filed under a new revision.

With a shared cache (Redis), the current revision is also mirrored in the cache, so that a kept
page is served with one cache read and no database query. A renewal writes the mirror after its
commit, before the editor's save is answered; the mirror expires after a minute, which bounds
how long a change made around the application (a database emptied or replaced by hand, or a
renewal while Redis failed) goes unseen.

Each app whose models are public data watches them (`watch`, from its AppConfig.ready): the
apps above this one are named by no import here.
"""

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.crypto import salted_hmac

from promises.models import PublicRevision, new_revision_token

# What is kept for one deployment is named apart from another's sharing the cache (staging and
# production): by its database and its secret key, which no two deployments should share.
_database = settings.DATABASES["default"]
_address = repr((_database["HOST"], _database.get("PORT"), str(_database["NAME"])))
# The salt keeps the name of the module that first wrote it: a new one would rename every kept page.
NAMESPACE = salted_hmac("promises.page_cache", _address).hexdigest()[:16]
MIRROR_KEY = f"page-revision:{NAMESPACE}"
MIRROR_SECONDS = 60


def shared_cache():
    """Whether every process reads the same cache; local memory is each process's own."""
    return not isinstance(caches["default"], LocMemCache)


def current_revision():
    # Read for every kept page served without a shared cache, so plain SQL: the ORM would cost
    # more than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {PublicRevision._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:  # an emptied database (flush, restore): name its state afresh
        return PublicRevision.objects.get_or_create(pk=1)[0].token
    return row[0]


def mirrored_revision():
    """The current revision when the mirror has expired; `add`, so as not to undo a renewal that
    was mirrored since the database was read."""
    revision = current_revision()
    cache.add(MIRROR_KEY, revision, MIRROR_SECONDS)
    return revision


def renew_revision():
    PublicRevision.objects.update_or_create(pk=1, defaults={"token": new_revision_token()})
    if shared_cache():
        mirror_revision()


def mirror_revision():
    """Write the current revision to the mirror until the database confirms it.

    Two renewals finishing at once may write the mirror in either order; whichever writes last
    then reads the newer revision back and writes that, so the mirror ends on the newest one.
    """
    mirrored = None
    while (revision := current_revision()) != mirrored:
        cache.set(MIRROR_KEY, revision, MIRROR_SECONDS)
        mirrored = revision


def data_changed():
    """Make every kept copy stale when the current transaction commits. Bulk `.update()` and
    `.delete()` of public data send no model signal: call this beside them.

    An edit of many rows renews the revision once: a renewal already waiting in this transaction
    or one enclosing it will run whenever this change is committed.
    """
    connection = transaction.get_connection()
    active = set(connection.savepoint_ids)
    waiting = (sids for sids, func, *_ in connection.run_on_commit if func is renew_revision)
    if not any(sids <= active for sids in waiting):
        # Robust: the edit is committed whatever happens here; a failure is logged by Django.
        transaction.on_commit(renew_revision, robust=True)


def watch(app_config, except_models=()):
    """Renew the revision whenever a model of this app is saved, deleted or relinked, except
    `except_models` (which decide who may edit, not what the public sees)."""
    label = app_config.label
    ignored = set(except_models)

    def on_model_change(sender, **kwargs):
        if sender._meta.app_label == label and sender not in ignored:
            data_changed()

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, weak=False, dispatch_uid=f"revision_{label}_{signal}")
