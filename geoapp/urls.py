"""Root URLs: the map, accounts, admin, language switch, JS translations, the shared field
worker, and each app's pages and API."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from geoapp import help, offline, openapi, views

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
    # The one field service worker and its manifest, served from /field/ so that its
    # scope covers every app's phone page registered below it (geoapp.offline).
    path("field/sw.js", offline.service_worker, name="field-worker"),
    path("field/offline.json", offline.offline_manifest, name="field-offline"),
    # Each app's pages and API (one convention, docs/adr/0027): ``<app>/urls.py`` holds
    # page routes with their paths from the site root, ``<app>/api_urls.py`` the API
    # routes below /api/; a subpackage (signs, inspections) is included by its app.
    path("", include("boundaries.urls")),
    path("api/", include("boundaries.api_urls")),
    path("", include("placenames.urls")),
    path("api/", include("placenames.api_urls")),
    path("", include("facilities.urls")),
    path("api/", include("facilities.api_urls")),
    path("", include("geoapp.jobs.urls")),
    path("api/", include("geoapp.jobs.api_urls")),
    path("", include("geoapp.tiles.urls")),
    path("", include("geoapp.ows.urls")),
]

# Error pages in the site's language and layout; JSON under /api/ (geoapp/errors.py).
handler403 = "geoapp.errors.permission_denied"
handler404 = "geoapp.errors.page_not_found"
handler500 = "geoapp.errors.server_error"
