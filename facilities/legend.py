"""The facility layer's legend for the map pages: kinds, statuses and detail-field labels.

Registered as the facilities map layer's legend (``facilities.apps``), so the map
workspace's config carries it under ``facilities`` without geoapp reading these models.
"""

from __future__ import annotations

from facilities.models import CommunityDetails, ElderlyCareDetails, Facility, StationDetails

# Shown by the marker itself (name, kind glyph, status), not as a detail row.
_NOT_DETAILS = ("id", "location", "name", "kind", "status")


def facility_legend() -> dict:
    """Kinds, statuses and detail-field labels of the facility layer, from the models."""
    labels = {}
    for model in (Facility, ElderlyCareDetails, StationDetails, CommunityDetails):
        for field in model._meta.concrete_fields:
            if not field.is_relation and field.name not in _NOT_DETAILS:
                labels[field.name] = str(field.verbose_name)
    return {
        "kinds": [{"value": v, "label": str(label)} for v, label in Facility._meta.get_field("kind").choices],
        "statuses": [{"value": v, "label": str(label)} for v, label in Facility._meta.get_field("status").choices],
        "labels": labels,
    }
