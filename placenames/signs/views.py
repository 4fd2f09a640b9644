"""Pages of the sign programme: progress dashboard with map and CSV, the plan page of
zoning staff, one sign with its records and photos, and the phone page for field teams
(``/field/``, with its service worker at ``/field/sw.js`` so its scope covers the page).

Every page is scoped to the user's jurisdiction through ``Sign.objects.for_user`` and
``user.can_act_on``; changes go through ``placenames.signs.plans`` and
``placenames.signs.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from boundaries.codes import Level
from boundaries.models import Division
from geoapp import offline
from geoapp.access import require
from geoapp.jurisdiction import is_within, normalise_code
from placenames.signs.models import Condition, Sign, SignPhoto, SignStatus, SignType
from placenames.signs.plans import PlanError, can_plan, plan_signs
from placenames.signs.progress import progress, signs_csv

# Colours of the status legend (map, dashboard, field page): one place.
STATUS_COLOURS = {
    SignStatus.PLANNED: "#8a94a6",
    SignStatus.INSTALLED: "#1f5fa8",
    SignStatus.INSPECTED: "#2e8b57",
    SignStatus.DAMAGED: "#d97706",
    SignStatus.MISSING: "#c0392b",
    SignStatus.NEEDS_REPLACEMENT: "#7b3fa0",
    SignStatus.REMOVED: "#3b3b3b",
}


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _division_for(request) -> Division:
    """``?division=CODE`` inside the user's jurisdiction (default: the jurisdiction itself)."""
    user = request.user
    own = user.jurisdiction_code or (settings.CIVATLAS_HOME_DIVISION if user.is_superuser else "")
    if not own:
        raise PermissionDenied
    raw = request.GET.get("division") or own
    try:
        code = normalise_code(raw)
    except ValueError:
        code = normalise_code(own)
    if not (user.is_superuser or is_within(code, own)):
        raise PermissionDenied
    division = Division.objects.current().filter(code=code).first()
    if division is None:
        raise Http404(_("没有该区划"))
    return division


def _breadcrumbs(division: Division, user) -> list[Division]:
    # Jurisdiction is a code prefix: the divisions the user may open are a tail of the chain.
    return [d for d in [*division.ancestors(), division] if user.is_superuser or user.can_act_on(d.code)]


# --- progress -----------------------------------------------------------------------------------


@require("placenames.view_sign")
def dashboard(request):
    division = _division_for(request)
    report = progress(division)
    config = {
        "signs": reverse("sign-list") + f"?division={division.code}",
        "colours": {k: v for k, v in STATUS_COLOURS.items()},
        "statuses": _labels(SignStatus),
        "basemaps": settings.CIVATLAS_BASEMAPS,
        "detail": reverse("sign-detail", args=[0]),
        # The division's parts, labelled, and its neighbours (geoapp map_kit.js).
        "division": division.code,
        "api": {"divisions": reverse("division-list"),
                "division_detail": reverse("division-detail", args=["000000000000"]).replace("000000000000", "{code}")},
    }
    return render(request, "placenames/signs/dashboard.html", {
        "division": division, "report": report, "config": config, "crumbs": _breadcrumbs(division, request.user),
        "statuses": [(s, str(label), STATUS_COLOURS[s]) for s, label in SignStatus.choices],
        "child_is_village": division.level in (Level.TOWNSHIP, Level.VILLAGE),
        "can_plan": request.user.has_perm("placenames.add_sign"),
        "inspection_days": settings.CIVATLAS_SIGN_INSPECTION_DAYS,
    })


@require("placenames.view_sign")
def export_csv(request):
    division = _division_for(request)
    signs = Sign.objects.for_user(request.user).within(division.code)
    response = HttpResponse("\ufeff" + signs_csv(signs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="signs-{division.code}.csv"'
    return response


@require("placenames.view_sign")
def sign_detail(request, pk: int):
    sign = get_object_or_404(Sign.objects.for_user(request.user).select_related("place", "division__parent"), pk=pk)
    records = sorted(
        [*sign.installations.prefetch_related("photos").select_related("recorded_by"),
         *sign.inspections.prefetch_related("photos").select_related("recorded_by")],
        key=lambda r: r.when, reverse=True,
    )
    return render(request, "placenames/signs/detail.html", {
        "sign": sign, "records": records, "colour": STATUS_COLOURS[sign.status],
        "replaced_by": sign.replaced_by.all(),
    })


@require("placenames.view_signphoto")
def photo(request, pk: int, thumb: bool = False):
    item = get_object_or_404(SignPhoto.objects.select_related("installation__sign__division", "inspection__sign__division"), pk=pk)
    if not (request.user.is_superuser or request.user.can_act_on(item.sign.division.code)):
        raise PermissionDenied
    stored = item.thumbnail if thumb else item.image
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("照片文件不存在")) from exc
    response = FileResponse(handle, content_type="image/jpeg" if thumb else item.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- plans --------------------------------------------------------------------------------------


@require("placenames.add_sign")
@require_http_methods(["GET", "POST"])
def plan_page(request):
    townships = Division.objects.current().at_level(Level.TOWNSHIP).for_user(request.user).order_by("code")
    code = request.POST.get("township") or request.GET.get("township") or ""
    township = townships.filter(code=code).first() if code else None
    plan = None
    if township is not None:
        if not can_plan(request.user, township):
            raise PermissionDenied
        try:
            plan = plan_signs(township=township, created_by=request.user, dry_run=request.method != "POST")
        except PlanError as exc:
            messages.error(request, str(exc))
        else:
            if request.method == "POST":
                messages.success(request, plan.summary())
                return redirect(f"{reverse('sign-plan')}?township={township.code}")
    return render(request, "placenames/signs/plan.html", {
        "townships": townships[:500], "township": township, "plan": plan,
    })


# --- the phone page -------------------------------------------------------------------------------

# What the shared service worker (geoapp.offline) keeps for this page besides the shell;
# registered in PlacenamesConfig.ready.
FIELD_ASSETS = ("placenames/field.css", "placenames/field.js")


@never_cache
@require("placenames.view_sign")
def field_page(request):
    return render(request, "placenames/signs/field.html", {"config": _field_config(request.user)})


def _field_config(user) -> dict:
    """What the phone page needs, through json_script (and kept with the cached page)."""
    places = Division.objects.current().for_user(user).filter(level__in=[Level.TOWNSHIP, Level.VILLAGE])
    # [township prefix, name, [[village code, name], …]] for the "where" chooser.
    areas: dict[str, list] = {}
    for code, name, level in places.order_by("code").values_list("code", "name", "level")[:5000]:
        area = areas.setdefault(code[:9], [code[:9], "", []])
        if level == Level.TOWNSHIP:
            area[1] = name
        else:
            area[2].append([code, name])
    return {
        "signs": reverse("sign-list"),
        "installations": reverse("sign-installations", args=[0]),
        "inspections": reverse("sign-inspections", args=[0]),
        "worker": offline.worker_url(),
        "scope": offline.worker_scope(),
        "can_record": user.has_perm("placenames.add_signinstallation"),
        "jurisdiction": user.jurisdiction_code,
        "areas": [area for area in areas.values() if area[1] or area[2]],
        "statuses": _labels(SignStatus),
        "colours": dict(STATUS_COLOURS),
        "types": _labels(SignType),
        "conditions": _labels(Condition),
        "max_accuracy_m": settings.CIVATLAS_SIGN_MAX_ACCURACY_M,
        "max_offset_m": settings.CIVATLAS_SIGN_MAX_OFFSET_M,
        "max_photo_bytes": settings.CIVATLAS_SIGN_PHOTO_MAX_BYTES,
        "user": user.get_username(),
    }
