"""What the public site keeps of its own: downloads built from the public data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicFile(models.Model):
    """A public download (open data, a yearly report) as built for one revision of the public
    data. Nationally these take seconds to build and anyone may ask for them at any time, so each
    is built once per revision, day and language by one request (public/built_files.py): the
    national files meanwhile serve their previous build for a bounded time, the others wait.
    Not backed up: it is rebuilt when first asked for.
    """

    name = models.CharField(_("namn"), max_length=100, unique=True)
    revision = models.CharField(_("version"), max_length=32)
    # Statuses depend on the day too: a year that has ended is judged, not "in progress".
    built_on = models.DateField(_("byggd dag"))
    # When the build began: it holds every change committed before then. Empty until the first
    # build is stored.
    built_at = models.DateTimeField(_("byggd"), null=True)
    # Set while a request builds the file (a claim the others see without waiting on a lock);
    # a claim older than built_files.CLAIM_SECONDS is of a build that died and may be taken over.
    building_since = models.DateTimeField(_("byggs sedan"), null=True)
    content = models.BinaryField(_("innehåll"))
    gzipped = models.BooleanField(_("gzip-komprimerad"), default=False)

    backed_up = False  # rebuilt when first asked for (promises/management/commands/backup.py)

    class Meta:
        verbose_name = _("byggd publik fil")
        verbose_name_plural = _("byggda publika filer")

    def __str__(self):
        return self.name
