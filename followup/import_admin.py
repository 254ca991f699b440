"""The outcome import's steps in the admin, kept safe: an upload of bounded size, its temporary
file removed however the import ends (followup/import_uploads.py), and a confirmation that is
repeated, stale or tampered with answered by a message in Swedish instead of a server error."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.forms import ConfirmImportForm, ImportForm

from followup import import_uploads
from followup.spreadsheet_cells import MAX_UPLOAD_MB, FileRefused


class BoundedImportForm(ImportForm):
    def clean_import_file(self):
        file = self.cleaned_data["import_file"]
        if file.size > MAX_UPLOAD_MB * 2**20:
            raise forms.ValidationError(
                _("Filen är större än %(max)s MB. Dela upp den och läs in delarna var för sig.")
                % {"max": MAX_UPLOAD_MB}
            )
        return file


class StrictConfirmForm(ConfirmImportForm):
    """The confirmation's hidden fields as the preview wrote them, or the form is invalid."""

    def __init__(self, *args, format_count=1, resource_count=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.format_count, self.resource_count = format_count, resource_count

    def clean_import_file_name(self):
        name = self.cleaned_data["import_file_name"]
        if not import_uploads.NAME.fullmatch(name):
            raise forms.ValidationError("not an upload's name")  # never shown: see process_import
        return name

    def clean_format(self):
        return self.index(self.cleaned_data["format"], self.format_count)

    def clean_resource(self):
        return self.index(self.cleaned_data["resource"] or "0", self.resource_count)

    @staticmethod
    def index(value, count):
        if value not in {str(i) for i in range(count)}:
            raise forms.ValidationError("not an index")
        return value


class SafeImportMixin:
    """For an import-export ModelAdmin whose imports go through import_uploads.UploadStorage."""

    import_form_class = BoundedImportForm
    confirm_form_class = StrictConfirmForm
    tmp_storage_class = import_uploads.UploadStorage

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form),
            "format_count": len(self.get_import_formats()),
            "resource_count": len(self.get_import_resource_classes(request)),
        }

    def write_to_tmp_storage(self, import_file, input_format):
        storage = self.get_tmp_storage_class()()
        storage.save_chunks(import_file.chunks())
        return storage

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        # The uploaded file object carries the name it was stored under (a refused form no
        # longer holds it in cleaned_data).
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name and context.get("confirm_form") is None:
            self.get_tmp_storage_class()(name=name).remove()  # refused: nothing to confirm
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self.confirmation_refused(request)
        storage = self.get_tmp_storage_class()(name=form.cleaned_data["import_file_name"])
        try:
            data = storage.claim()
        except import_uploads.AlreadyConfirmed:
            messages.warning(
                request, _("Den här importen är redan bekräftad; den görs inte en gång till.")
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        except import_uploads.UnknownUpload:
            return self.confirmation_refused(request)
        try:
            input_format = self.get_import_formats()[int(form.cleaned_data["format"])](
                encoding=self.from_encoding
            )
            result = self.process_dataset(
                input_format.create_dataset(data), form, request, **kwargs
            )
        except BaseException:
            storage.release()
            raise
        if result.has_errors() or result.has_validation_errors():
            storage.release()  # nothing was saved; the file is read in again from the start
        else:
            storage.mark_done()
        return self.process_result(result, request)

    def confirmation_refused(self, request):
        messages.error(
            request,
            _(
                "Importen kunde inte bekräftas: den inlästa filen finns inte längre (den sparas "
                "i %(hours)s timmar). Läs in filen igen."
            )
            % {"hours": settings.IMPORT_UPLOAD_MAX_AGE_HOURS},
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
