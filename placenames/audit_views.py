"""The quality-audit page and its CSV, scoped to the user's jurisdiction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from boundaries.models import Division
from geoapp.access import require
from geoapp.jurisdiction import code_prefix, is_within, normalise_code
from placenames.audit import RULES, audit_placenames

PAGE_ROWS = 500


def _audit_for(request):
    """The audit of ``?division=CODE`` (default: the user's jurisdiction), inside it."""
    own = request.user.jurisdiction_code or ("" if request.user.is_superuser else None)
    if own is None:
        raise PermissionDenied
    raw = request.GET.get("division") or own
    try:
        code = normalise_code(raw) if raw else ""
    except ValueError:
        code = own
    if own and code and not is_within(code, own):
        raise PermissionDenied
    return audit_placenames(division_code=code or None), code


@require("placenames.view_placename")
def audit_page(request):
    report, code = _audit_for(request)
    division = Division.objects.current().filter(code=code).first() if code else None
    counties = dict(Division.objects.current().filter(level="county").values_list("code", "name"))
    counts = [
        {"code": county, "name": counties.get(county.ljust(12, "0"), county),
         "cells": [row.get(rule, 0) for rule in RULES], "total": sum(row.values())}
        for county, row in report.counts().items()
    ]
    rules = [{"rule": r, "severity": s, "label": label} for r, (s, label) in RULES.items()]
    issues = [
        {"issue": i, "fix": reverse("admin:placenames_placename_change", args=[i.place_id])}
        for i in report.issues[:PAGE_ROWS]
    ]
    return render(request, "placenames/audit.html", {
        "report": report, "division": division, "code": code_prefix(code) if code else "", "counts": counts,
        "rules": rules, "totals": report.totals(), "issues": issues, "shown": min(PAGE_ROWS, len(report.issues)),
    })


@require("placenames.view_placename")
def audit_csv(request):
    report, code = _audit_for(request)
    response = HttpResponse("\ufeff" + report.to_csv(), content_type="text/csv; charset=utf-8")
    name = f"placename-audit-{code_prefix(code) if code else 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
