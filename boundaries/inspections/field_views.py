"""The inspection phone page (``/field/inspections/``): a field team's marker checks,
findings and walked track, recorded offline with the shared queue (geoapp.offline).

The page is one shell for every inspection; its data (the user's planned and ongoing
inspections with their markers) comes from ``/api/inspections/field/``, which the shared
service worker keeps for offline use, and is also kept in the phone's localStorage.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from boundaries.inspections.models import FindingKind, MarkerCondition
from geoapp import offline
from geoapp.access import require

FIELD_ASSETS = ("boundaries/inspection_field.css", "boundaries/inspection_field.js")
TEMPLATE = "boundaries/inspections/field.html"


@never_cache
@require("boundaries.view_boundarymarker")
def field_page(request):
    user = request.user
    config = {
        "data": reverse("inspection-field-data"),
        "start": reverse("inspection-field-start", args=[0]),
        "checks": reverse("inspection-checks", args=[0]),
        "findings": reverse("inspection-findings", args=[0]),
        "tracks": reverse("inspection-tracks", args=[0]),
        "worker": offline.worker_url(), "scope": offline.worker_scope(),
        "can_record": user.has_perm("boundaries.add_markercheck"),
        "conditions": {c.value: str(c.label) for c in MarkerCondition},
        "finding_kinds": {c.value: str(c.label) for c in FindingKind},
        "max_accuracy_m": settings.CIVATLAS_MARKER_MAX_ACCURACY_M,
        "displaced_m": settings.CIVATLAS_MARKER_DISPLACED_M,
        "max_photo_bytes": settings.CIVATLAS_SIGN_PHOTO_MAX_BYTES,
        "user": user.get_username(),
    }
    return render(request, TEMPLATE, {"config": config})
