"""Actions on facilities: register or change a facility with its details, save a site scenario.

Views, the CSV importer and tests call these; each is atomic and keyword-only
(STYLE.md). History (django-simple-history) records who made each change: the request
middleware sets it for web requests, ``changed_by`` sets it for the importer and commands.
"""

from __future__ import annotations

from django.db import transaction

from facilities.models import DETAIL_RELATION, Facility, SiteScenario
from facilities.scenarios import plan_sites


@transaction.atomic
def save_facility(*, facility: Facility, details=None, changed_by=None) -> Facility:
    """Save ``facility`` and the detail row of its kind; drop detail rows of other kinds.

    A facility whose kind was corrected (a 社工站 registered as a 敬老院) keeps no beds
    from its old kind: the stale row is deleted, its history stays.
    """
    if changed_by is not None:
        facility._history_user = changed_by
    facility.save()
    keep = DETAIL_RELATION.get(facility.kind)
    for relation in set(DETAIL_RELATION.values()) - {keep}:
        stale = getattr(facility, relation, None) if facility.pk else None
        if stale is not None and stale.pk:
            if changed_by is not None:
                stale._history_user = changed_by
            stale.delete()
    if details is not None:
        details.facility = facility
        if changed_by is not None:
            details._history_user = changed_by
        details.save()
    return facility


@transaction.atomic
def create_site_scenario(*, division, kind: str, radius_km: float, count: int, name: str, created_by) -> SiteScenario:
    """Compute site suggestions (``facilities.scenarios.plan_sites``) and save them, named."""
    plan = plan_sites(division=division, kind=kind, radius_km=radius_km, count=count)
    return SiteScenario.objects.create(
        name=name, division=division, kind=kind, radius_km=radius_km, count=count, sites=plan.sites,
        villages=plan.villages, covered_before=plan.covered_before, covered_after=plan.covered_after,
        method=plan.method, optimal=plan.optimal, note=plan.note, created_by=created_by,
    )
