from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from accessibility import views as accessibility_views
from medborgarloften import views as site_views
from promises.scoping import view_on_site

handler500 = site_views.server_error

urlpatterns = [
    # Choosing a language changes nothing but a cookie, and pages without a CSRF token can be
    # kept in the cache for every visitor.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Before the admin's own: its "view on site" redirect, scoped to the user's areas.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="scoped_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("halsa/", site_views.health, name="health"),
    path("robots.txt", site_views.robots, name="robots"),
    path("tillganglighet/", accessibility_views.statement, name="accessibility"),
    # Last: the public site's addresses begin with an area's slug.
    path("", include("public.urls")),
]
