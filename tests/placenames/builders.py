"""Builders for place names and naming applications: plain functions over the actions
(STYLE.md: workflow states built by calling actions), no factory library (ADR 0028)."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import Point

from boundaries.models import Division
from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames import actions
from placenames.models import NamingApplication


def division(code: str) -> Division:
    return Division.objects.current().get(code=code.ljust(12, "0"))


def place_name(name: str, *, category: str, where: str = "620521100000", **fields):
    """A standard place name inside the division ``where`` (default 永清镇)."""
    inside = division(where)
    fields.setdefault("geom", inside.seat or Point(106.1, 34.75, srid=4490))
    return actions.create_place_name(standard_name=name, category=category, division=inside, **fields)


def application(user, *, proposed_name: str, kind: str = "street", code: str = "620521100000", place=None, **fields):
    """A draft application filed by ``user``."""
    fields.setdefault("location_description", "县城东部，东起东关，西至人民路")
    fields.setdefault("scale", "长 1.2 千米，宽 24 米")
    fields.setdefault("nature", "城市次干道")
    return actions.file_application(
        created_by=user, applicant="永清镇人民政府", proposed_name=proposed_name, kind=kind, division=division(code),
        reasons="新建道路需要命名", place=place, **fields,
    )


REPORTS = {
    "overall_assessment": "综合评估：符合地名规划。",
    "expert_assessment": "专家论证：用字规范，含义健康。",
    "consultation_report": "征求意见：无反对意见。",
    "risk_assessment": "风险评估：低风险。",
}


def in_consultation(user, *, started_days_ago: int = 31, **kwargs):
    """An application whose consultation period (default 30 days) has ended.

    The consultation starts today through the action (which refuses a past start), then
    ``started_days_ago`` days pass: the dates are moved back as time would have moved."""
    app = application(user, **kwargs)
    actions.submit_application(application=app)
    for field, text in REPORTS.items():
        setattr(app, field, text)
    app.save()
    app = actions.start_consultation(application=app)
    return elapse(app, days=started_days_ago)


def elapse(app, *, days: int):
    """``days`` days later: the consultation dates lie that much further in the past."""
    shift = dt.timedelta(days=days)
    NamingApplication.objects.filter(pk=app.pk).update(
        consultation_start=app.consultation_start - shift, consultation_end=app.consultation_end - shift)
    app.refresh_from_db()
    return app


def second_officer(user):
    """Another zoning officer of the same jurisdiction (four eyes: the filer does not approve)."""
    return set_up_user(username=f"{user.username}_2", role=Role.ZONING, jurisdiction=user.jurisdiction_code)


def approved(user, **kwargs):
    app = in_consultation(user, **kwargs)
    return actions.approve_naming(application=app, approved_by=second_officer(user), approving_body="清水县人民政府")
