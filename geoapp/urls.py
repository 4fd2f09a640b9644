"""Root URLs: the map, accounts, admin, language switch, JS translations, and each app's API."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from geoapp import help, openapi, views
from geoapp.jobs import urls as jobs_urls

urlpatterns = [
    path("", views.map_workspace, name="map"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("help/", help.help_page, name="help"),
    path("help/<str:name>", help.help_image, name="help-image"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/openapi.json", openapi.openapi_json, name="openapi"),
    path("api/facilities/", include("facilities.urls")),
    path("facilities/", include("facilities.page_urls")),
    path("api/placenames/", include("placenames.urls")),
    path("names/", include("placenames.portal_urls")),
    path("api/signs/", include("placenames.sign_urls")),
    path("signs/", include("placenames.sign_page_urls")),
    path("field/inspections/", include("boundaries.inspections.field_urls")),
    path("field/", include("placenames.field_urls")),
    path("api/inspections/", include("boundaries.inspections.urls")),
    path("boundaries/inspections/", include("boundaries.inspections.page_urls")),
    path("api/", include("boundaries.urls")),
    path("boundaries/", include("boundaries.page_urls")),
    path("tiles/", include("geoapp.tiles.urls")),
    path("ows/", include("geoapp.ows.urls")),
    path("jobs/", include(jobs_urls.page_urlpatterns)),
    path("api/jobs/", include(jobs_urls.api_urlpatterns)),
]

# Error pages in the site's language and layout; JSON under /api/ (geoapp/errors.py).
handler403 = "geoapp.errors.permission_denied"
handler404 = "geoapp.errors.page_not_found"
handler500 = "geoapp.errors.server_error"
