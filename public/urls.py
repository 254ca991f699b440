"""The public site's addresses, in Swedish; the area's slug and the promise's period make the
promise's address, so that it can be read and shared."""

from django.urls import path, register_converter

from public import documents, downloads, views
from public.converters import IdConverter, PeriodConverter
from public.page_cache import public_page

register_converter(PeriodConverter, "period")
register_converter(IdConverter, "id")

urlpatterns = [
    path("", public_page(views.start), name="start"),
    path("omraden/", public_page(views.area_list), name="area_list"),
    path("loften/", public_page(views.browse), name="browse"),
    path("radet/", views.council_dashboard, name="council_dashboard"),
    path("rapport/<int:year>.xlsx", public_page(downloads.yearly_workbook), name="yearly_workbook"),
    path("oppna-data/", public_page(downloads.open_data), name="open_data"),
    path("oppna-data/utfall.csv", public_page(downloads.open_data_csv), name="open_data_csv"),
    path(
        "oppna-data/utfall-excel.csv",
        public_page(downloads.open_data_excel_csv),
        name="open_data_excel_csv",
    ),
    path("oppna-data/utfall.json", public_page(downloads.open_data_json), name="open_data_json"),
    path("<slug:slug>/", public_page(views.area_detail), name="area"),
    path("<slug:slug>/<period:period>/", public_page(views.promise_detail), name="promise"),
    path(
        "<slug:slug>/<period:period>/rapport/<int:year>.xlsx",
        public_page(downloads.promise_workbook),
        name="promise_workbook",
    ),
    path(
        "<slug:slug>/<period:period>/rapport/<int:year>.pdf",
        public_page(documents.promise_pdf),
        name="promise_pdf",
    ),
    path(
        "<slug:slug>/<period:period>/indikator/<id:pk>/",
        public_page(views.indicator_detail),
        name="indicator",
    ),
]
