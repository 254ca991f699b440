from django.contrib import admin
from django.urls import include, path, register_converter

from accessibility import views as accessibility_views
from followup import views as followup_views
from promises import views
from promises.converters import PeriodConverter

register_converter(PeriodConverter, "period")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", views.start, name="start"),
    path("omraden/", views.area_list, name="area_list"),
    path("loften/", views.browse, name="browse"),
    path("radet/", followup_views.dashboard, name="council_dashboard"),
    path("tillganglighet/", accessibility_views.statement, name="accessibility"),
    path("rapport/<int:year>.xlsx", views.yearly_workbook, name="yearly_workbook"),
    path("oppna-data/", followup_views.open_data, name="open_data"),
    path("oppna-data/utfall.csv", followup_views.open_data_csv, name="open_data_csv"),
    path("oppna-data/utfall.json", followup_views.open_data_json, name="open_data_json"),
    path("<slug:slug>/", views.area_detail, name="area"),
    path("<slug:slug>/<period:period>/", views.promise_detail, name="promise"),
    path(
        "<slug:slug>/<period:period>/rapport/<int:year>.xlsx",
        views.promise_workbook,
        name="promise_workbook",
    ),
    path(
        "<slug:slug>/<period:period>/indikator/<int:pk>/",
        views.indicator_detail,
        name="indicator",
    ),
]
