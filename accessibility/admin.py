from django.contrib import admin

from accessibility.models import ProblemReport
from promises.scoping import CheckedChoicesAdmin


@admin.register(ProblemReport)
class ProblemReportAdmin(CheckedChoicesAdmin, admin.ModelAdmin):
    list_display = ["__str__", "page", "email", "received_at", "handled"]
    list_filter = ["handled"]
    list_editable = ["handled"]
    search_fields = ["description", "page", "email"]
    readonly_fields = ["received_at"]
