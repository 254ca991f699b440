"""Where an uploaded import file waits between its preview and "Bekräfta import".

django-import-export keeps the upload in a temporary file and sends the file's name through the
confirmation form. Its default storage names the file by its full server path and removes it
only after a confirmed import. Here instead:

- the files live in a folder of their own (settings.IMPORT_UPLOAD_DIR), under a random name of
  32 hex digits, which is all the form carries: no server path reaches a page, and a name that is
  not of that form is refused before any file is opened;
- the admin removes the file when the preview refuses it (OutcomeAdmin.import_action);
- a confirmation first renames the file to `<name>.confirmed` (atomic), so that of two
  confirmations of one preview only one imports; the emptied file stays as a mark that the
  import was done, so that a repeated confirmation is told so;
- every new upload first sweeps files older than settings.IMPORT_UPLOAD_MAX_AGE_HOURS: previews
  never confirmed and the marks. No cron job is needed.
"""

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from import_export.tmp_storages import BaseStorage

NAME = re.compile(r"[0-9a-f]{32}")
CONFIRMED = ".confirmed"
OURS = re.compile(rf"{NAME.pattern}(\{CONFIRMED})?")


class UnknownUpload(Exception):
    """The name is not one this storage gives, or its file is gone (swept or never there)."""


class AlreadyConfirmed(Exception):
    """The file's import was confirmed before (or is being imported right now)."""


def folder():
    path = Path(settings.IMPORT_UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def sweep(now=None):
    """Removes this storage's files older than the age limit; returns how many."""
    oldest = (now or time.time()) - settings.IMPORT_UPLOAD_MAX_AGE_HOURS * 3600
    removed = 0
    for entry in os.scandir(folder()):
        if not OURS.fullmatch(entry.name):
            continue  # never anything this storage did not write
        try:
            if entry.stat().st_mtime < oldest:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:
            pass  # swept at the same moment by another request
    return removed


class UploadStorage(BaseStorage):
    """import-export's temporary storage (see the module's description); always bytes."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.read_mode = "rb"
        if self.name is not None and not NAME.fullmatch(str(self.name)):
            raise UnknownUpload(self.name)

    def path(self, suffix=""):
        return folder() / f"{self.name}{suffix}"

    def save(self, data):
        self.save_chunks([data])

    def save_chunks(self, chunks):
        """Writes the upload chunk by chunk: an upload is never held whole in memory here."""
        sweep()
        self.name = secrets.token_hex(16)
        descriptor = os.open(self.path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            for chunk in chunks:
                file.write(chunk)

    def read(self):
        try:
            return self.path().read_bytes()
        except FileNotFoundError:
            raise UnknownUpload(self.name) from None

    def remove(self):
        self.path().unlink(missing_ok=True)

    def claim(self):
        """The file's content, taken for its one confirmed import."""
        try:
            os.rename(self.path(), self.path(CONFIRMED))
        except FileNotFoundError:
            if self.path(CONFIRMED).exists():
                raise AlreadyConfirmed(self.name) from None
            raise UnknownUpload(self.name) from None
        return self.path(CONFIRMED).read_bytes()

    def mark_done(self):
        """Empties the claimed file, kept until the sweep as the mark of a done import."""
        with open(self.path(CONFIRMED), "wb"):
            pass

    def release(self):
        """Removes the claimed file of an import that did not go through."""
        self.path(CONFIRMED).unlink(missing_ok=True)
