"""The revisions of the public data: names for its current state, replaced by every edit.

Random tokens in the database, one per scope, that edits of promises or follow-ups replace once
their transaction has committed:

- an area's token ("area:<slug>"), renewed by an edit of data that belongs to that one area (its
  promises, their commitments, indicators, signatories, outcomes, follow-ups, corrections and
  publication events, the area's municipalities: the models' `area_path`);
- the national token, renewed with every area's: something changed somewhere;
- the global token, renewed by an edit of shared data (an area itself, parties, themes,
  municipalities) or a bulk change whose areas are not named: it makes everything stale.

What is made from the public data (kept pages, built files: see public/) is filed under a
revision made of two tokens: the global one and its scope's: an area's pages and files under
their area's, every other page (start page, lists, themes, national report, open data) under
the national one. So an edit in one area makes stale only that area's pages and the pages that
show every area; the other areas' pages stay kept. Since the revision is read before the data,
an old copy can never be filed under a new revision.

With a shared cache (Redis), the tokens are also mirrored in the cache, so that a kept page is
served with one cache read (the page and its two tokens) and no database query. A renewal writes
the mirror after its commit, before the editor's save is answered; the mirror expires after a
minute, which bounds how long a change made around the application (a database emptied or
replaced by hand, or a renewal while Redis failed) goes unseen.

Each app whose models are public data watches them (`watch`, from its AppConfig.ready): the
apps above this one are named by no import here.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.crypto import salted_hmac

from promises.models import Area, PublicRevision, RemembersItsParent, new_revision_token

# What is kept for one deployment is named apart from another's sharing the cache (staging and
# production): by its database and its secret key, which no two deployments should share.
_database = settings.DATABASES["default"]
_address = repr((_database["HOST"], _database.get("PORT"), str(_database["NAME"])))
# The salt keeps the name of the module that first wrote it: a new one would rename every kept page.
NAMESPACE = salted_hmac("promises.page_cache", _address).hexdigest()[:16]
MIRROR_KEY = f"page-revision:{NAMESPACE}"
MIRROR_SECONDS = 60

GLOBAL = "global"
NATIONAL = "national"
# The token of a scope no edit has renewed yet: the global token, part of every revision, is
# random, so this never names the state of another database.
NOT_RENEWED = "-"


def area_scope(slug):
    return f"area:{slug}"


def mirror_key(scope):
    return f"{MIRROR_KEY}:{scope}"


def shared_cache():
    """Whether every process reads the same cache; local memory is each process's own."""
    return not isinstance(caches["default"], LocMemCache)


def revision_of(tokens):
    """The revision named by the global token and a scope's: one string of 32 characters."""
    return hashlib.blake2b(":".join(tokens).encode(), digest_size=16).hexdigest()


def current_tokens(scope):
    """The global token and the scope's, in one query."""
    # Read for every kept page served without a shared cache, so plain SQL: the ORM would cost
    # more than the query.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, token FROM {PublicRevision._meta.db_table} WHERE scope IN (%s, %s)",
            [GLOBAL, scope],
        )
        found = dict(cursor.fetchall())
    if GLOBAL not in found:  # an emptied database (flush, restore): name its state afresh
        found[GLOBAL] = PublicRevision.objects.get_or_create(scope=GLOBAL)[0].token
    return found[GLOBAL], found.get(scope, NOT_RENEWED)


def current_revision(scope=NATIONAL):
    return revision_of(current_tokens(scope))


def mirrored_revision(scope=NATIONAL):
    """The current revision when the mirror has expired; `add`, so as not to undo a renewal that
    was mirrored since the database was read."""
    tokens = current_tokens(scope)
    for name, token in zip((GLOBAL, scope), tokens, strict=True):
        cache.add(mirror_key(name), token, MIRROR_SECONDS)
    return revision_of(tokens)


def renew_revision(*scopes):
    """Give each scope (by default the global one: everything) a new token."""
    scopes = scopes or (GLOBAL,)
    with transaction.atomic():
        for scope in scopes:
            token = new_revision_token()
            if not PublicRevision.objects.filter(scope=scope).update(token=token):
                try:
                    with transaction.atomic():
                        PublicRevision.objects.create(scope=scope, token=token)
                except IntegrityError:  # another renewal created it meanwhile
                    if not PublicRevision.objects.filter(scope=scope).update(token=token):
                        raise  # not a race: say so rather than leave the scope unrenewed
    if shared_cache():
        mirror_revision(*scopes)


def mirror_revision(*scopes):
    """Write the scopes' current tokens to the mirror until the database confirms them.

    Two renewals finishing at once may write the mirror in either order; whichever writes last
    then reads the newer tokens back and writes them, so the mirror ends on the newest ones.
    """
    scopes = scopes or (GLOBAL,)
    mirrored = None
    while (tokens := stored_tokens(scopes)) != mirrored:
        cache.set_many(
            {mirror_key(scope): token for scope, token in tokens.items()}, MIRROR_SECONDS
        )
        mirrored = tokens


def stored_tokens(scopes):
    stored = dict(PublicRevision.objects.filter(scope__in=scopes).values_list("scope", "token"))
    return {scope: stored.get(scope, NOT_RENEWED) for scope in scopes}


class Renewal:
    """The renewal waiting for a transaction's commit, with every scope its edits touched."""

    def __init__(self, scopes):
        self.scopes = set(scopes)
        self.__qualname__ = "Renewal"  # named when Django logs its failure

    def __call__(self):
        renew_revision(*sorted(self.scopes))


def data_changed(areas=None):
    """Make the kept copies of what changed stale when the current transaction commits: those
    of `areas` (slugs) and the national pages, or everything when the areas are not named.
    Bulk `.update()` and `.delete()` of public data send no model signal: call this beside them.

    An edit of many rows renews each token once: a renewal already waiting in this transaction
    or one enclosing it takes this change's scopes too, and runs whenever it is committed.
    """
    scopes = {NATIONAL, *map(area_scope, areas)} if areas else {GLOBAL}
    connection = transaction.get_connection()
    active = set(connection.savepoint_ids)
    for sids, func, *_ in connection.run_on_commit:
        if isinstance(func, Renewal) and sids <= active:
            func.scopes |= scopes
            return
    # Robust: the edit is committed whatever happens here; a failure is logged by Django.
    transaction.on_commit(Renewal(scopes), robust=True)


def area_of(row):
    """The slug of the one area whose data `row` is, or None when it is shared or not known.

    Follows the model's `area_path` through the related rows already read, then asks the
    database for the rest in one query."""
    path = getattr(type(row), "area_path", None)
    if path is None:
        return None
    if hasattr(row, "parent_id_as_read"):
        # A row made here has no parent as read: it was in no area before.
        if row.parent_id_as_read != getattr(row, row.parent_attname()):
            return None  # moved: the old area's pages are stale too
    names = path.split("__")
    for depth, name in enumerate(names):
        field = row._meta.get_field(name)
        if not field.is_cached(row):
            rest = "__".join([*names[depth + 1 :], "slug"])
            rows = field.related_model._base_manager.filter(pk=getattr(row, field.attname))
            return rows.values_list(rest, flat=True).first()  # None if deleted meanwhile
        row = getattr(row, name)
        if row is None:
            return None
    return row.slug


def changed_areas(instance, signal):
    """The areas an edit of `instance` touched, or None for everything."""
    if signal is m2m_changed and isinstance(instance, Area):
        return [instance.slug]  # the municipalities it covers
    # An area's own edit may change its address or its place in the lists: everything.
    slug = area_of(instance)
    if isinstance(instance, RemembersItsParent) and signal is post_save:
        instance.parent_id_as_read = getattr(instance, instance.parent_attname())  # stored now
    return None if slug is None else [slug]


def watch(app_config, except_models=()):
    """Renew the revisions whenever a model of this app is saved, deleted or relinked, except
    `except_models` (which decide who may edit, not what the public sees) and history rows
    (saved with the rows they record, which renew)."""
    label = app_config.label
    ignored = set(except_models)

    def on_model_change(sender, instance, signal, **kwargs):
        if sender._meta.app_label != label or sender in ignored:
            return
        if hasattr(sender, "instance_type"):  # django-simple-history's record of a change
            return
        data_changed(changed_areas(instance, signal))

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, weak=False, dispatch_uid=f"revision_{label}_{signal}")
