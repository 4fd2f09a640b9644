"""Root URLs: the map, accounts, admin, language switch, JS translations, and each app's API."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from geoapp import openapi, views

urlpatterns = [
    path("", views.map_workspace, name="map"),
    path("accounts/", include("django.contrib.auth.urls")),
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
    path("field/", include("placenames.field_urls")),
    path("api/", include("boundaries.urls")),
    path("boundaries/", include("boundaries.page_urls")),
]
