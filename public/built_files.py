"""Public downloads built once per revision of the public data, and served from the database.

The open-data files and the yearly reports cover every published promise in the country: seconds
of work each. Text files are kept gzip-compressed and sent so to every client that accepts it,
which is every browser.

Two ways to wait for a build:
- A promise's own file (its PDF) is always of the current revision: the first request after an
  edit builds it, and requests arriving meanwhile wait for that build (a row lock).
- A national file (`max_stale_seconds`, settings.NATIONAL_FILE_STALE_SECONDS) changes with every
  edit in the country, every few seconds during the data-entry season. Its previous build is
  served while it is younger than `max_stale_seconds`; after that the first request claims the
  build (a `building_since` claim, taken by a conditional UPDATE, so no request waits on a lock
  and a claim of a build that died lapses), and requests arriving meanwhile get the previous build
  if it was at most BUILD_GRACE past the bound when that build began. So a national file served
  is at most `max_stale_seconds` behind, plus BUILD_GRACE and one build's time while a build is
  under way. Each build says when it was built.
"""

import gzip
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from promises.revision import NATIONAL, current_revision
from public.models import PublicFile
from public.page_cache import accepts_gzip, not_kept, page_scope

# During a build, the previous build is served if it was at most this much past the bound when
# the build began (the first request after the bound claims it); one older than that, left
# since a quiet spell, is waited for rather than served hours behind.
BUILD_GRACE = timedelta(seconds=10)
# A claim this old is of a build that died with its process (gunicorn kills a worker after 30 s).
CLAIM_SECONDS = 60
POLL_SECONDS = 0.05

logger = logging.getLogger(__name__)


@dataclass
class Build:
    content: bytes
    gzipped: bool
    built_at: datetime
    # Built from the revision read for this request, or a newer one (not from an older one).
    current: bool


def built_file(name, make, compress, scope=NATIONAL, max_stale_seconds=None):
    """The build of the file `name` for this request, building it with `make(built_at)` if
    needed: of the current revision of `scope` (promises/revision.py) and day, or for a national
    file (`max_stale_seconds`) an older build within the bound."""
    if not settings.KEEP_BUILT_FILES:
        # Built for this request, as fresh as can be: the file need not say when.
        return Build(make(None), False, timezone.now(), current=True)
    name = f"{name}:{get_language()}"
    if max_stale_seconds is None:
        return latest_build(name, make, compress, scope)
    return recent_build(name, make, compress, scope, timedelta(seconds=max_stale_seconds))


def latest_build(name, make, compress, scope):
    today = timezone.localdate()
    # Read before the data, so an old build never gets a new name.
    revision = current_revision(scope)
    stored = PublicFile.objects.filter(name=name, revision=revision, built_on=today)
    for content, gzipped, built_at in stored.values_list("content", "gzipped", "built_at"):
        return Build(bytes(content), gzipped, built_at, current=True)
    with transaction.atomic():
        # The row lock makes a second request wait for the first one's build and then use it.
        file, _ = PublicFile.objects.select_for_update().get_or_create(
            name=name, defaults={"revision": "", "built_on": today, "content": b""}
        )
        revision = current_revision(scope)  # edits may have come while waiting: build the newest
        if (file.revision, file.built_on) != (revision, today) or file.built_at is None:
            file.built_at = timezone.now()
            content = timed_make(name, make, file.built_at)
            file.content = gzip.compress(content, mtime=0) if compress else content
            file.revision, file.built_on, file.gzipped = revision, today, compress
            file.save()
    return Build(bytes(file.content), file.gzipped, file.built_at, current=True)


def recent_build(name, make, compress, scope, max_stale):
    # Read before the data, so an old build never gets a new name.
    revision = current_revision(scope)
    stored = PublicFile.objects.filter(name=name).values_list(
        "revision", "built_on", "built_at", "building_since", "content", "gzipped"
    )
    while True:
        now = timezone.now()
        row = stored.first()
        if row and row[2]:
            file_revision, built_on, built_at, building_since, content, gzipped = row
            build = Build(bytes(content), gzipped, built_at, current=False)
            if (file_revision, built_on) == (revision, timezone.localdate(now)):
                build.current = True
                return build
            if now - built_at < max_stale:
                return build
        if claim(name, revision, now, max_stale, stored=row is not None):
            return build_claimed(name, make, compress, scope, claimed_at=now)
        # Another request is building it: its previous build will do if it was due when that
        # build began (so it is behind by the bound and that build's time).
        if row and row[2] and row[3] and row[3] - row[2] < max_stale + BUILD_GRACE:
            return build
        time.sleep(POLL_SECONDS)  # nothing recent enough: wait for that build


def claim(name, revision, now, max_stale, stored):
    """Take the build of `name`, unless another request is building it (and has not died) or a
    build recent enough has been stored since the row was read."""
    free = Q(building_since__isnull=True) | Q(
        building_since__lt=now - timedelta(seconds=CLAIM_SECONDS)
    )
    due = Q(built_at__isnull=True) | Q(built_at__lte=now - max_stale)
    rows = PublicFile.objects.filter(free, due, name=name)
    if rows.exclude(revision=revision, built_on=timezone.localdate(now)).update(building_since=now):
        return True
    if stored:
        return False  # another request has claimed it
    try:
        with transaction.atomic():
            PublicFile.objects.create(
                name=name,
                revision="",
                built_on=timezone.localdate(now),
                content=b"",
                building_since=now,
            )
    except IntegrityError:
        return False  # the row is there: another request has claimed it
    return True


def build_claimed(name, make, compress, scope, claimed_at):
    mine = PublicFile.objects.filter(name=name, building_since=claimed_at)
    try:
        built_at = timezone.now()  # the build holds every change committed before this
        revision = current_revision(scope)  # edits may have come since it was read
        content = timed_make(name, make, built_at)
    except Http404:
        mine.delete()  # no such file any more (a year whose reports are all unpublished)
        raise
    except BaseException:
        mine.update(building_since=None)
        raise
    stored = gzip.compress(content, mtime=0) if compress else content
    # Stored only if the claim is still ours: a build outliving its claim may be older than the
    # one that took over.
    mine.update(
        content=stored,
        gzipped=compress,
        revision=revision,
        built_on=timezone.localdate(built_at),
        built_at=built_at,
        building_since=None,
    )
    return Build(stored, compress, built_at, current=True)


def timed_make(name, make, built_at):
    """`make(built_at)`, logged with its time: an operator sees how often and how long the
    files are built (bench/season.py counts them)."""
    started = time.perf_counter()
    content = make(built_at)
    seconds = round(time.perf_counter() - started, 2)
    logger.info("Built %s in %s s", name, seconds, extra={"built": name, "seconds": seconds})
    return content


def served_builds(names, max_stale_seconds):
    """When the builds of the named national files that a request would get now were built
    (None: the request would build it), and whether they are all of the current revision and day:
    a page naming the times may be kept under that revision only then, since only then do they
    stay true for as long as it is current. Two queries."""
    if not settings.KEEP_BUILT_FILES:
        return dict.fromkeys(names), True  # built for each request: no time to name
    language = get_language()
    revision = current_revision(NATIONAL)
    now = timezone.now()
    max_stale = timedelta(seconds=max_stale_seconds)
    stored = PublicFile.objects.filter(
        name__in=[f"{name}:{language}" for name in names], built_at__isnull=False
    ).values_list("name", "revision", "built_on", "built_at", "building_since")
    times, all_current = dict.fromkeys(names), True
    for stored_name, file_revision, built_on, built_at, building_since in stored:
        name = stored_name.removesuffix(f":{language}")
        current = (file_revision, built_on) == (revision, timezone.localdate(now))
        all_current &= current
        building = building_since and building_since - built_at < max_stale + BUILD_GRACE
        if current or now - built_at < max_stale or building:
            times[name] = built_at
    return times, all_current and None not in times.values()


def file_response(
    request, name, make, content_type, filename=None, compress=False, max_stale_seconds=None
):
    """The built file as a response, gzip-encoded when the client accepts it, and a download
    named `filename` if given. `Last-Modified` says when it was built."""
    scope = page_scope(request.resolver_match)
    build = built_file(name, make, compress, scope, max_stale_seconds)
    content = build.content
    response = HttpResponse(content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if build.gzipped and accepts_gzip(request):
        response["Content-Encoding"] = "gzip"
    elif build.gzipped:
        content = gzip.decompress(content)
    response.content = content
    if compress:
        patch_vary_headers(response, ["Accept-Encoding"])
    response["Last-Modified"] = http_date(build.built_at.timestamp())
    # Last-Modified alone would let browsers and proxies keep the file by their own guess.
    patch_cache_control(response, no_cache=True)
    return response if build.current else not_kept(response)
