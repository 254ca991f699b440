"""Public downloads built once per revision of the public data, and served from the database.

The open-data files and the yearly reports cover every published promise in the country: seconds
of work each. The first request after an edit builds the file; requests arriving meanwhile wait
for that build instead of starting their own. Text files are kept gzip-compressed and sent so to
every client that accepts it, which is every browser.
"""

import gzip

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from promises.revision import NATIONAL, current_revision
from public.models import PublicFile
from public.page_cache import accepts_gzip, page_scope


def built_file(name, make, compress, scope=NATIONAL):
    """The content of the file `name` for the current revision and day, building it if needed,
    and whether it is gzip-compressed. The revision is `scope`'s (promises/revision.py)."""
    if not settings.KEEP_BUILT_FILES:
        return make(), False
    name = f"{name}:{get_language()}"
    today = timezone.localdate()
    # Read before the data, so an old build never gets a new name.
    revision = current_revision(scope)
    stored = PublicFile.objects.filter(name=name, revision=revision, built_on=today)
    for content, gzipped in stored.values_list("content", "gzipped"):
        return bytes(content), gzipped
    with transaction.atomic():
        # The row lock makes a second request wait for the first one's build and then use it.
        file, _ = PublicFile.objects.select_for_update().get_or_create(
            name=name, defaults={"revision": "", "built_on": today, "content": b""}
        )
        revision = current_revision(scope)  # edits may have come while waiting: build the newest
        if (file.revision, file.built_on) != (revision, today):
            content = make()
            file.content = gzip.compress(content, mtime=0) if compress else content
            file.revision, file.built_on, file.gzipped = revision, today, compress
            file.save()
    return bytes(file.content), file.gzipped


def file_response(request, name, make, content_type, filename=None, compress=False):
    """The built file as a response, gzip-encoded when the client accepts it, and a download
    named `filename` if given."""
    content, gzipped = built_file(name, make, compress, page_scope(request.resolver_match))
    response = HttpResponse(content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if gzipped and accepts_gzip(request):
        response["Content-Encoding"] = "gzip"
    elif gzipped:
        content = gzip.decompress(content)
    response.content = content
    if compress:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response
