from django.contrib import admin
from django.urls import path, register_converter
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from accessibility import views as accessibility_views
from followup import views as followup_views
from medborgarloften import views as site_views
from promises import views
from promises.converters import IdConverter, PeriodConverter
from promises.page_cache import public_page

register_converter(PeriodConverter, "period")
register_converter(IdConverter, "id")

handler500 = site_views.server_error

urlpatterns = [
    # Choosing a language changes nothing but a cookie, and pages without a CSRF token can be
    # kept in the cache for every visitor.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("halsa/", site_views.health, name="health"),
    path("robots.txt", site_views.robots, name="robots"),
    path("", public_page(views.start), name="start"),
    path("omraden/", public_page(views.area_list), name="area_list"),
    path("loften/", public_page(views.browse), name="browse"),
    path("radet/", followup_views.dashboard, name="council_dashboard"),
    path("tillganglighet/", accessibility_views.statement, name="accessibility"),
    path("rapport/<int:year>.xlsx", public_page(views.yearly_workbook), name="yearly_workbook"),
    path("oppna-data/", public_page(followup_views.open_data), name="open_data"),
    path("oppna-data/utfall.csv", public_page(followup_views.open_data_csv), name="open_data_csv"),
    path(
        "oppna-data/utfall.json", public_page(followup_views.open_data_json), name="open_data_json"
    ),
    path("<slug:slug>/", public_page(views.area_detail), name="area"),
    path("<slug:slug>/<period:period>/", public_page(views.promise_detail), name="promise"),
    path(
        "<slug:slug>/<period:period>/rapport/<int:year>.xlsx",
        public_page(views.promise_workbook),
        name="promise_workbook",
    ),
    path(
        "<slug:slug>/<period:period>/indikator/<id:pk>/",
        public_page(views.indicator_detail),
        name="indicator",
    ),
]
