"""Pages of the gazetteer: the public portal and the naming workflow of zoning staff.

The portal (no login) shows standard names only, with their story and a small map of
the name's point: never boundary lines, markers or other sensitive layers (DOMAIN.md
§3, §8). Workflow pages are scoped to the user's jurisdiction; every change goes
through ``placenames.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from geoapp.access import Load, require
from placenames import actions, forms
from placenames.models import ApplicationStatus, Category, NamingApplication, PlaceName

# --- public portal ---------------------------------------------------------------------------


def portal(request):
    """Search page: the form posts to the public search API through portal.js."""
    config = {"search": reverse("placename-search"), "categories": dict(Category.choices)}
    config["categories"] = {k: str(v) for k, v in config["categories"].items()}
    return render(request, "placenames/portal.html", {"config": config, "query": request.GET.get("q", "")})


def place_page(request, pk: int):
    """One standard name: romanization, class, division, map point, meaning, origin, former names."""
    place = get_object_or_404(PlaceName.objects.standard().select_related("division__parent"), pk=pk)
    point = place.point
    config = {
        "point": [point.x, point.y] if point else None,
        "name": place.standard_name,
        "basemaps": settings.CIVATLAS_BASEMAPS,
    }
    chain = [*place.division.ancestors(), place.division] if place.division else []
    if chain and (chain[-1].name == place.standard_name or (place.code and chain[-1].code == place.code)):
        chain = chain[:-1]  # the division this name names: it lies in the one above
    can_confirm = actions.can_confirm_reading(request.user, place)
    return render(request, "placenames/place.html", {
        "place": place, "config": config, "divisions": chain,
        "former_names": place.former_names.order_by("-end", "name"),
        "can_confirm": can_confirm,
        "reading_form": forms.ReadingForm(initial={"romanization": place.romanization}) if can_confirm else None,
    })


@require()
@require_POST
def confirm_reading(request, pk: int):
    """Zoning staff confirm or correct a name's reading (actions.confirm_reading)."""
    place = get_object_or_404(PlaceName.objects.for_user(request.user).standard(), pk=pk)
    form = forms.ReadingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("placename-page", pk=place.pk)
    try:
        actions.confirm_reading(place=place, confirmed_by=request.user, **form.cleaned_data)
    except actions.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "读音已核定")
    return redirect("placename-page", pk=place.pk)


# --- workflow (zoning staff) -----------------------------------------------------------------


def _applications_for(user):
    return NamingApplication.objects.for_user(user).select_related("division", "place", "created_by")


APPLICATION = Load("application", _applications_for)


@require("placenames.view_namingapplication")
def application_list(request):
    applications = _applications_for(request.user).order_by("status", "-created_at")[:300]
    return render(request, "placenames/application_list.html", {"applications": applications})


@require("placenames.add_namingapplication")
def application_new(request):
    form = forms.ApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = actions.file_application(
            created_by=request.user, applicant=data["applicant"], proposed_name=data["proposed_name"],
            kind=data["kind"], category=data["category"], division=data["division_code"], reasons=data["reasons"],
            place=data["place_code"], location_description=data["location_description"],
            meaning=data["meaning"], origin=data["origin"], scale=data["scale"], nature=data["nature"],
            geo_significant=data["geo_significant"],
        )
        return redirect("naming-application-detail", pk=application.pk)
    return render(request, "placenames/application_form.html", {"form": form})


@require("placenames.change_namingapplication", load=APPLICATION)
def application_edit(request, application):
    if not application.is_editable:
        messages.error(request, "申请已进入征求意见或已决定，不能再修改")
        return redirect("naming-application-detail", pk=application.pk)
    form = forms.ApplicationForm(request.POST or None, user=request.user, instance=application)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.update_application(
            application=NamingApplication.objects.get(pk=application.pk),
            **{f: data[f] for f in ("applicant", "proposed_name", "kind", "category", "location_description",
                                    "scale", "nature", "geo_significant", "reasons", "meaning", "origin")},
            division=data["division_code"], place=data["place_code"],
        )
        return redirect("naming-application-detail", pk=application.pk)
    return render(request, "placenames/application_form.html", {"form": form, "application": application})


@require("placenames.view_namingapplication", load=APPLICATION)
def application_detail(request, application):
    can_act = request.user.has_perm("placenames.change_namingapplication") and application.can_be_decided_by(request.user)
    return render(request, "placenames/application_detail.html", {
        "application": application,
        "can_act": can_act,
        "problems": application.check_result.get("problems", []),
        # Each step's form has the step as prefix: one page, several forms, unique ids.
        "reports_form": forms.ReportsForm(instance=application, prefix="reports"),
        "consultation_form": forms.ConsultationForm(prefix="consult"),
        "decision_form": forms.DecisionForm(
            initial={"approving_body": actions.default_approving_body(application)}, prefix="approve"
        ),
        "reject_form": forms.RejectForm(prefix="reject"),
        "announce_form": forms.AnnouncementForm(prefix="announce"),
        "file_form": forms.DateForm(prefix="file"),
        "obstacles": actions.approval_obstacles(application, on=_today())
        if application.status == ApplicationStatus.CONSULTATION else [],
        "S": ApplicationStatus,
    })


def _today():
    from django.utils import timezone

    return timezone.localdate()


# One POST endpoint per workflow step: (form class or None, action call).
def _do_submit(request, application, data):
    actions.submit_application(application=application)


def _do_reports(request, application, data):
    actions.record_reports(application=application, **data)


def _do_consult(request, application, data):
    actions.start_consultation(application=application, start=data["start"], days=data["days"])


def _do_approve(request, application, data):
    actions.approve_naming(application=application, approved_by=request.user, approving_body=data["approving_body"],
                           decision_date=data["decision_date"], note=data["note"])


def _do_reject(request, application, data):
    actions.reject_naming(application=application, rejected_by=request.user, note=data["note"])


def _do_withdraw(request, application, data):
    actions.withdraw_application(application=application)


def _do_announce(request, application, data):
    actions.record_announcement(application=application, date=data["date"], number=data["number"])


def _do_file(request, application, data):
    actions.record_filing(application=application, date=data["date"])


def _do_recheck(request, application, data):
    actions.run_checks(application=application)
    application.save(update_fields=["check_result", "checked_at"])


STEPS = {
    "submit": (None, _do_submit, "已提交受理"),
    "reports": (forms.ReportsForm, _do_reports, "报告已保存"),
    "consult": (forms.ConsultationForm, _do_consult, "已开始征求意见"),
    "approve": (forms.DecisionForm, _do_approve, "已批准，请在 15 日内公告并备案"),
    "reject": (forms.RejectForm, _do_reject, "已登记不予批准"),
    "withdraw": (None, _do_withdraw, "申请已撤回"),
    "announce": (forms.AnnouncementForm, _do_announce, "已登记公告日期和文号"),
    "file": (forms.DateForm, _do_file, "已登记备案日期"),
    "recheck": (None, _do_recheck, "已重新审查"),
}


@require_POST
@require("placenames.change_namingapplication", load=APPLICATION)
def application_step(request, application, step: str):
    if step not in STEPS or not application.can_be_decided_by(request.user):
        raise PermissionDenied
    form_class, do, done = STEPS[step]
    if form_class is forms.ReportsForm:
        form = form_class(request.POST, instance=NamingApplication.objects.get(pk=application.pk), prefix=step)
    else:
        form = form_class(request.POST, prefix=step) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, "；".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("naming-application-detail", pk=application.pk)
    data = {} if form is None else {k: form.cleaned_data[k] for k in form.fields}
    try:
        do(request, NamingApplication.objects.get(pk=application.pk), data)
    except actions.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("naming-application-detail", pk=application.pk)


@require("placenames.view_namingapplication", load=APPLICATION)
def announcement(request, application):
    """Printable announcement (公告): standard name, romanization, division, location,
    approving body and date (DOMAIN.md §4)."""
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED):
        messages.error(request, "申请尚未批准，不能生成公告")
        return redirect("naming-application-detail", pk=application.pk)
    place = application.result_place
    division = application.division
    chain = [*division.ancestors(), division]
    if application.place and application.place.code == division.code:
        chain.pop()  # renaming a division: it belongs to the one above
    return render(request, "placenames/announcement.html", {
        "application": application, "place": place, "division_path": "".join(d.name for d in chain),
        "former": place.former_names.order_by("-end").first() if application.is_renaming else None,
    })
