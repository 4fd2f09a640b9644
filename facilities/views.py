"""Pages of the facility work: the gap view with site suggestions, reports, and the registry.

Each view parses its input with a form, calls one analysis function, QuerySet method or
action, and renders. Maps are configured through ``json_script``; tables are rendered
on the server so they print and work without JavaScript. Permission checks are
``geoapp.access.require`` with the permissions of ``facilities.access``, plus the
jurisdiction check on the division.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from boundaries.models import Source
from facilities import reports
from facilities.access import ANALYSE, ANALYSIS_REFUSED, EDIT, EDIT_REFUSED, may_analyse_in, may_edit_in
from facilities.actions import save_facility
from facilities.forms import (
    DETAIL_FORMS,
    FacilityFilterForm,
    FacilityForm,
    GapParamsForm,
    ImportForm,
    SuggestForm,
    detail_forms,
    details_form_for,
)
from facilities.gaps import analyse_gaps, radius_km_for
from facilities.importer import import_facilities, write_facilities_csv
from facilities.models import Facility, Kind, SiteScenario, Status
from facilities.presentation import change_history, detail_fields
from geoapp.access import Load, require
from geoapp.middleware import STANDALONE_DOCUMENT_CSP
from geoapp.views import map_config

CSV = "text/csv; charset=utf-8"
PAGE_SIZE = 50


# --- gap analysis -----------------------------------------------------------------------

def _gap_report(request):
    """The (params form, report) of ``?division=&kind=&radius_km=``; report None if invalid."""
    form = GapParamsForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    division = form.cleaned_data["division"]
    if not may_analyse_in(request.user, division.code):
        raise PermissionDenied(_("%(name)s不在您的辖区内") % {"name": division.name})
    return form, analyse_gaps(
        division=division, kind=form.cleaned_data["kind"], radius_km=form.cleaned_data["radius_km"]
    )


def _scenarios(request, report):
    """Saved scenarios for the report's division and kind that the user may see."""
    return (SiteScenario.objects.for_user(request.user).within(report.division.code)
            .filter(kind=report.kind).select_related("division", "created_by"))


def _gap_map_config(request, report) -> dict:
    """The gap map's configuration (json_script): the analysis and our own API URLs."""
    config = map_config(request)
    code = report.division.code
    config.update({
        "division": {"code": code, "name": report.division.name, "level": report.division.level},
        "kind": report.kind, "kind_label": str(Kind(report.kind).label), "radius_km": report.radius_km,
        "rows": [{
            "code": r["code"], "name": r["name"], "villages": r["villages"], "uncovered": r["villages_uncovered"],
            "share": r["share_uncovered"], "facilities": r["facilities"],
            "failing": [n["title"] for n in r["kind_norms_failed"]],
        } for r in report.rows],
        "uncovered": report.uncovered,
        "bins": reports.bin_labels(),
        "urls": {
            "townships": f"{reverse('division-list')}?level=township&within={code}",
            "facilities": f"{reverse('facilities:list')}?division={code}&kind={report.kind}",
            "suggest": reverse("facilities:suggest"),
            "scenario": reverse("facilities:scenario-detail", args=[0]).replace("/0", "/{id}"),
            "compare": reverse("facilities:scenario-compare"),
            "facility_page": reverse("facility-detail", args=[0]).replace("/0/", "/{id}/"),
        },
    })
    return config


@require(ANALYSE, message=ANALYSIS_REFUSED)
def gap_view(request):
    """The map of coverage and norm failures, the ranked table, and site suggestions."""
    form, report = _gap_report(request)
    if report is None:
        return render(request, "facilities/gaps.html", {"form": form, "report": None}, status=400)
    return render(request, "facilities/gaps.html", {
        "form": form, "report": report, "config": _gap_map_config(request, report), "query": request.GET.urlencode(),
        "failing_count": sum(1 for r in report.rows if r["kind_norms_failed"]),
        "villages": sum(r["villages"] for r in report.rows),
        "suggest_form": SuggestForm(), "scenarios": _scenarios(request, report)[:50],
        "default_radius": radius_km_for(report.kind),
    })


@require_GET
@require(ANALYSE, message=ANALYSIS_REFUSED)
def report_csv(request, table: str):
    """One report table as CSV (``townships`` is the gap page's ranked table)."""
    if table not in reports.TABLES:
        raise Http404
    _form, report = _gap_report(request)
    if report is None:
        raise Http404(_("参数无效"))
    response = HttpResponse(reports.table_csv(report, table), content_type=CSV)
    response["Content-Disposition"] = _attachment(reports.table_filename(report, table))
    return response


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _scenario_param(request, report):
    raw = request.GET.get("scenario", "")
    if not raw.isdigit():
        return None
    return _scenarios(request, report).filter(pk=int(raw)).first()


@require_GET
@require(ANALYSE, message=ANALYSIS_REFUSED)
def report_page(request):
    """The printable gap report of a county for a kind."""
    form, report = _gap_report(request)
    if report is None:
        return render(request, "facilities/report.html", {"form": form, "report": None}, status=400)
    tables = {name: reports.table(report, name) for name in reports.TABLES}
    failing_norms = [row for row in tables["norms"][1] if row[-1] == _("未达标")]
    return render(request, "facilities/report.html", {
        "form": form, "report": report, "tables": tables, "failing_norms": failing_norms,
        "table_links": reports.table_links(),
        "norm_header": tables["norms"][0], "query": request.GET.urlencode(),
        "kind_label": Kind(report.kind).label, "scenarios": _scenarios(request, report)[:50],
        "scenario": _scenario_param(request, report),
        "villages": sum(r["villages"] for r in report.rows),
        "failing_count": sum(1 for r in report.rows if r["kind_norms_failed"]),
        "synthetic": Facility.objects.within(report.division.code).filter(source=Source.SYNTHETIC).exists(),
    })


@require_GET
@require(ANALYSE, message=ANALYSIS_REFUSED)
def report_map(request):
    """The standalone, offline folium map of the gap report (``?download=1`` saves it)."""
    _form, report = _gap_report(request)
    if report is None:
        raise Http404(_("参数无效"))
    html = reports.gap_map_html(report, scenario=_scenario_param(request, report))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = STANDALONE_DOCUMENT_CSP  # inline Leaflet, sandboxed
    if request.GET.get("download"):
        response["Content-Disposition"] = _attachment(f"{report.division.code}_{report.kind}_缺口分析地图.html")
    return response


# --- registry -------------------------------------------------------------------------------

def _registry(user):
    return Facility.objects.for_user(user).select_related("division")


FACILITY = Load("facility", _registry)


@require()
def facility_list(request):
    filters = FacilityFilterForm(request.GET)
    rows = filters.filter(_registry(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "facilities/list.html", {
        "filters": filters, "page": page, "query": params.urlencode(),
        "can_edit": request.user.has_perm("facilities.change_facility"),
    })


@require_GET
@require()
def facility_export(request):
    filters = FacilityFilterForm(request.GET)
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    write_facilities_csv(filters.filter(_registry(request.user)), out)
    response = HttpResponse(out.getvalue(), content_type=CSV)
    response["Content-Disposition"] = _attachment("民政设施.csv")
    return response


@require(load=FACILITY)
def facility_detail(request, facility: Facility):
    config = map_config(request)
    config.update({
        "point": [facility.location.x, facility.location.y], "name": facility.name, "division": facility.division.code,
    })
    return render(request, "facilities/detail.html", {
        "facility": facility, "detail_fields": detail_fields(facility), "history": change_history(facility), "config": config,
        "can_edit": may_edit_in(request.user, facility.division.code),
    })


def _edit(request, facility: Facility | None):
    data = request.POST if request.method == "POST" else None
    form = FacilityForm(data=data, instance=facility, user=request.user)
    by_prefix = detail_forms(data=data, facility=facility)
    if request.method == "POST":
        details_form = details_form_for(request.POST.get("kind", ""), by_prefix)
        if form.is_valid() and (details_form is None or details_form.is_valid()):
            saved = save_facility(
                facility=form.save(commit=False),
                details=details_form.save(commit=False) if details_form is not None else None,
            )
            messages.success(request, _("已保存：%(name)s") % {"name": saved.name})
            return redirect("facility-detail", pk=saved.pk)
    config = map_config(request)
    point = facility.location if facility is not None else None
    config.update({"point": [point.x, point.y] if point else None, "editable": True})
    return render(request, "facilities/form.html", {
        "form": form, "detail_forms": by_prefix, "facility": facility, "config": config,
        "kind_groups": {kind: prefix for kind, (prefix, _f, _r) in DETAIL_FORMS.items()},
    })


@require(EDIT, message=EDIT_REFUSED)
def facility_create(request):
    return _edit(request, None)


@require(EDIT, message=EDIT_REFUSED, load=FACILITY)
def facility_edit(request, facility: Facility):
    if not may_edit_in(request.user, facility.division.code):
        raise PermissionDenied
    return _edit(request, facility)


@require(EDIT, message=EDIT_REFUSED)
def facility_import(request):
    """Upload a CSV: check it (dry run, the default) or import it, all rows or none."""
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = import_facilities(
            form.cleaned_data["file"], user=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if report.saved:
            messages.success(request, report.headline())
            return redirect("facility-list")
    return render(request, "facilities/import.html", {"form": form, "report": report, "statuses": Status.choices})
