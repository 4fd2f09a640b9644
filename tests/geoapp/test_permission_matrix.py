"""The permission matrix: every URL of the resolver — pages, APIs, exports,
admin (incl. history, change and add views), photos — for seven personas, GET and POST
where accepted, each outcome from one table. A URL missing from the table fails.

Personas, in the order of every expectation string:

    A administrator of 清水县   Z zoning officer of 清水县   F field worker of 永清镇
    P planner of 天水市         V viewer of 清水县           O zoning officer of 中卫市 (outsider)
    N anonymous

Vocabulary, one character per persona: ``+`` let through (2xx, a redirect that is not
to a login page, or 400/409 — the view refused the *input*, not the person); ``-``
stopped (401, 403, 404, or a redirect to a login page); ``.`` not checked (a URL that
does not take this method, or whose outcome depends on more than the person).

To add a URL: one ``row("name", get="…", post="…", path={…}, query="…")``; objects for
URL parameters come from ``SAMPLES`` (built once per run inside 清水县/永清镇). Admin
models expand to their six views with ``admin_rows``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from boundaries.inspections.demo import load_demo_inspections
from boundaries.inspections.models import BoundaryIssue, InspectionKind, JointInspection
from boundaries.models import Division
from facilities.models import Facility, SiteScenario
from geoapp.actions import set_up_user
from geoapp.jobs.models import Job
from geoapp.roles import Role
from placenames import actions as naming
from placenames.models import PlaceName
from placenames.signs.models import Sign

PERSONAS = "AZFPVON"
EVERYONE, LOGGED_IN, NOBODY = "+++++++", "++++++-", "-------"
STAFF = "++---+-"  # the admin: administrators and zoning staff (the outsider sees their own scope)
STAFF_HERE = "++-----"  # an object of 清水县 in the admin


@dataclass
class Row:
    name: str
    get: str | None = EVERYONE
    post: str | None = None
    path: dict = field(default_factory=dict)  # kwarg → SAMPLES key or literal
    query: str = ""
    json: bool = False  # POST an empty JSON object (APIs that read a JSON body) instead of a form


TABLE: dict[str, Row] = {}


def row(name, get=EVERYONE, post=None, path=None, query="", key=None, json=False):
    """``key`` names a second row of the same URL (e.g. one per tile layer class)."""
    TABLE[key or name] = Row(name, get, post, path or {}, query, json)


def admin_rows(model: str, *, listing: str, obj: str, sample: str | None):
    """The six admin views of a read-only (or user) model: list, add, change, delete,
    history and one history version; nothing is ever written through them."""
    oid = {"object_id": sample or "missing"}
    row(f"admin:{model}_changelist", get=listing)
    row(f"admin:{model}_add", get=NOBODY.replace("-", "-"), post=NOBODY)
    row(f"admin:{model}_change", get=obj, post=NOBODY, path=oid)
    row(f"admin:{model}_delete", get=NOBODY, post=NOBODY, path=oid)
    row(f"admin:{model}_history", get=obj, path=oid)
    row(f"admin:{model}_simple_history", get=obj, post=NOBODY, path={**oid, "version_id": f"{sample}_version"})


# --- pages and APIs -------------------------------------------------------------------------
row("map")
row("login", post=EVERYONE)
row("logout", get=None, post=EVERYONE)
row("password_change", get=LOGGED_IN, post=LOGGED_IN)
row("password_change_done", get=LOGGED_IN)
row("password_reset", get=".......")  # no mail server in an intranet deployment: not checked
row("password_reset_done")
row("password_reset_confirm", path={"uidb64": "MQ", "token": "x-y"})
row("password_reset_complete")
row("set_language", get=None, post=EVERYONE)
row("javascript-catalog")
row("openapi")
row("division-list", query="parent=620521")
row("division-search", query="q=永清")
row("division-at", get="+++++--", query="lon=106.0305904&lat=34.8929912")  # 永清镇 seat: outsider 404, anonymous 401
row("division-detail", path={"code": "620521100"})
row("boundary-line-list", get=LOGGED_IN, query="parent=620521&level=township")
row("coverage-check", get="+++++--", query="parent=620521100")  # 永清镇: inside the field worker's own
row("boundary-line-detail", get=NOBODY, path={"line_id": "missing"})
row("boundary-line-propose", get=None, post=NOBODY, path={"line_id": "missing"})
row("line-edit-detail", get=NOBODY, path={"edit_id": "missing"})
row("line-edit-decide", get=None, post=NOBODY, path={"edit_id": "missing", "decision": "approve"})
row("boundary-export", get="+++++--", query="within=620521100&levels=village&format=geojson&lines=0")
# Read-only shells for every logged-in role; their data APIs scope, saving needs zoning staff.
# The editor and the change form refuse roles without boundaries.change_division before
# the work (a Chinese 403): intended. The outsider is zoning staff of their own 中卫市.
row("boundary-editor", get="++---+-", query="parent=620521&level=township")
row("line-edit-list", get=LOGGED_IN)
row("division-change-list", get=LOGGED_IN)
row("division-change-new", get="++---+-", post="++---+-")  # an empty form is refused as input (200)
row("division-change-detail", get=NOBODY, path={"change_id": "missing"})
row("division-change-approve", get=None, post=NOBODY, path={"change_id": "missing"})
row("division-change-reject", get=None, post=NOBODY, path={"change_id": "missing"})
row("division-change-reverse", get=None, post=NOBODY, path={"change_id": "missing"})
row("register-check", get="++---+-")  # zoning staff, each within their own jurisdiction
row("register-check", get="++-----", query="within=620521", key="register-check (清水县)")
row("line-edit-review", get=NOBODY, path={"edit_id": "missing"})
row("line-edit-approve", get=None, post=NOBODY, path={"edit_id": "missing"})
row("line-edit-reject", get=None, post=NOBODY, path={"edit_id": "missing"})
row("placename-search", query="q=永清")
row("placename-romanize", query="name=永清镇")
row("placename-check", get=None, post=LOGGED_IN)
row("placename-export", get="+++++--", query="within=620521100&format=csv")
row("placename-portal")
row("placename-page", path={"pk": "place"})
# The view refuses other roles inside the action, with a message on the redirect back to the name
# (not a 403), so the status cannot tell: F/P/V are checked by the test after the matrix.
row("placename-confirm-reading", get=None, post="++...--", path={"pk": "place"})
row("naming-application-list", get=LOGGED_IN)
row("naming-application-new", get="++---+-", post="++---+-")
row("naming-application-detail", get="+++++--", path={"pk": "application"})
row("naming-application-edit", get="++-----", post="++-----", path={"pk": "application"})
row("naming-application-announcement", get="+++++--", path={"pk": "application"})
row("naming-application-step", get=None, post="++-----", path={"pk": "application", "step": "recheck"})
row("placename-audit", get=LOGGED_IN)  # the audit of one's own jurisdiction
row("placename-audit-csv", get=LOGGED_IN)
row("sign-list", get=LOGGED_IN)
row("sign-installations", get=None, post="+-+----", path={"sign_id": "sign"})
row("sign-inspections", get=None, post="+-+----", path={"sign_id": "sign"})
row("sign-dashboard", get=LOGGED_IN)
row("sign-export", get=LOGGED_IN)
row("sign-plan", get="++---+-")
row("sign-detail", get="+++++--", path={"pk": "sign"})
row("sign-photo", get=NOBODY, path={"pk": "missing"})
row("sign-photo-thumb", get=NOBODY, path={"pk": "missing"})
row("field", get=LOGGED_IN)
row("field-worker")
row("field-offline")  # the list of the field page's static files, for the service worker
row("help")
row("help-image", path={"name": "field_landing_phone.png"})
# --- boundary inspections: marker positions are survey data; planners and viewers
# get none of it, and only users whose jurisdiction holds a side of the line see a line's
# markers (永清镇 and 中卫市 touch none of 清水县's county lines: 404).
INSPECTORS = "+++--+-"  # a role with the inspection permissions, each in their own jurisdiction
row("inspection-schedule", get=INSPECTORS)
row("inspection-field", get=INSPECTORS)
row("inspection-field-data", get=INSPECTORS)
row("marker-list", get="++-----", query="line={line}")
row("marker-telemetry", get=None, post=NOBODY)  # devices only, with their own token: no persona
for name in ("inspection-field-start", "inspection-checks", "inspection-findings"):
    row(name, get=None, post="++-----", path={"pk": "inspection"})
row("inspection-tracks", get=None, post="++-----", path={"pk": "inspection"}, json=True)  # a JSON body
for name in ("boundary-line-page", "marker-export", "marker-register-print"):
    row(name, get="++-----", path={"line_id": "line"})
row("marker-register", get="++-----", post="++-----", path={"line_id": "line"})  # POST without a file
row("inspection-plan", get=None, post="++-----", path={"line_id": "line"})
row("agreement-new", get=None, post="++-----", path={"line_id": "line"})
row("agreement-file", get=NOBODY, path={"pk": "missing", "which": "map"})
row("inspection-detail", get="++-----", path={"pk": "inspection"})
row("inspection-report", get="++-----", path={"pk": "inspection"})
row("inspection-report-pdf", get="++-----", path={"pk": "inspection"})
row("inspection-action", get=None, post="++-----", path={"pk": "inspection", "action": "gpx"})  # no file: refused input
row("finding-to-issue", get=None, post="++-----", path={"pk": "finding"})  # already an issue: refused input
row("inspection-photo", get=NOBODY, path={"pk": "missing"})
row("inspection-photo-thumb", get=NOBODY, path={"pk": "missing"})
row("boundary-issue-list", get=INSPECTORS)
row("boundary-issue-detail", get="++-----", path={"pk": "issue"})
row("peace-agreement-list", get=INSPECTORS)
row("marker-device-list", get=INSPECTORS)
# --- tiles, WFS, jobs ------------------------------------------------------------
TILE = {"z": "10", "x": "813", "y": "406"}  # over 清水县
for layer in ("divisions", "county", "names", "facilities"):
    row("tile", path={**TILE, "layer": layer}, key=f"tile ({layer})")
for layer in ("lines", "signs"):  # logged in; the rows of one's jurisdiction only
    row("tile", get=LOGGED_IN, path={**TILE, "layer": layer}, key=f"tile ({layer})")
row("wfs", query="service=WFS&version=2.0.0&request=GetCapabilities")
# Anonymous: the WFS answers 400 InvalidParameterValue for a type it does not offer them — the
# refusal in WFS terms, which the status vocabulary would count as "+": not checked by status.
row("wfs", get="++++++.", query="service=WFS&version=2.0.0&request=GetFeature&typeNames=boundary_lines&count=1",
    key="wfs (boundary_lines)")
row("job-list", get=LOGGED_IN)
row("job-page", get="+------", path={"job_id": "job"})  # one's own jobs (the administrator's here)
row("job-json", get="+------", path={"job_id": "job"})
row("job-submit", get=None, post="+------", json=True)  # superusers and administrators; an empty body is a 400
row("facilities:list", query="division=620521")
row("facilities:gaps", get="++-+---", query="division=620521&kind=social_work_station")
row("facilities:suggest", get=None, post="++-+-+-")
row("facilities:scenarios", get="++-+---", query="division=620521")
row("facilities:scenario-compare", get="++-+---", query="a={scenario}&b={scenario}")
row("facilities:scenario-detail", get="++-+---", path={"scenario_id": "scenario"})
row("facility-list", get=LOGGED_IN)
row("facility-export", get=LOGGED_IN)
row("facility-import", get="+--+---", post="+--+---")
row("facility-create", get="+--+---", post="+--+---")
row("facility-detail", get="+++++--", path={"pk": "facility"})
row("facility-edit", get="+--+---", post="+--+---", path={"pk": "facility"})
row("facility-gaps", get="++-+-+-")
# The outsider gets a 400: the form offers only their own divisions.
row("facility-report", get="++-+-+-", query="division=620521&kind=social_work_station")
row("facility-report-map", get="++-+---", query="division=620521&kind=social_work_station")
row("facility-report-csv", get="++-+---", path={"table": "townships"}, query="division=620521&kind=social_work_station")

# --- the admin ---------------------------------------------------------------------------------
row("admin:index", get=STAFF)
row("admin:login", get=".......", post=EVERYONE)  # GET: staff already in are sent on to the index
row("admin:logout", get=None, post="++---+-")  # others are bounced to the admin's login
row("admin:password_change", get=STAFF)
row("admin:password_change_done", get=STAFF)
row("admin:jsi18n", get=STAFF)
row("admin:autocomplete", get=".......")  # answers only with a model's search fields in the query
row("admin:app_list", get="++---+-", path={"app_label": "boundaries"})
row("admin:view_on_site", get=".......", path={"content_type_id": "1", "object_id": "1"})
row("admin:?", get=".......", path={"url": "x"})  # the catch-all that redirects or 404s
for model, sample in (("boundaries_division", "division"), ("placenames_placename", "place"),
                      ("placenames_namingapplication", "application"), ("placenames_sign", "sign"),
                      ("facilities_facility", "facility")):
    admin_rows(model, listing=STAFF, obj=STAFF_HERE, sample=sample)
# Issues 12 and 10: no role is granted these models (superusers only), so the admin lists them to nobody.
for model in ("placenames_builtuparea", "facilities_childprotectiondesignation"):
    admin_rows(model, listing=NOBODY, obj=NOBODY, sample=None)
for model in ("boundaries_boundaryline", "boundaries_lineedit", "boundaries_divisionchange",
              "placenames_formername", "placenames_signinstallation", "placenames_signinspection",
              "placenames_signphoto"):
    admin_rows(model, listing=STAFF, obj=NOBODY, sample=None)
admin_rows("geoapp_user", listing="+------", obj="+------", sample="viewer_user")
row("admin:geoapp_user_add", get="+------", post="+------")  # administrators add users (scoped form)
row("admin:geoapp_user_change", get="+------", post="+------", path={"object_id": "viewer_user"})
row("admin:auth_user_password_change", get="+------", post="+------", path={"id": "viewer_user"})
row("admin:facilities_sitescenario_changelist", get=NOBODY)
for view in ("add", "change", "delete", "history"):
    row(f"admin:facilities_sitescenario_{view}", get=NOBODY, path={} if view == "add" else {"object_id": "scenario"})
for model in ("auth_group", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"):
    for view in ("changelist", "add", "change", "delete", "history"):
        row(f"admin:{model}_{view}", get=NOBODY, path={} if view in ("changelist", "add") else {"object_id": "1"})


# --- the run -------------------------------------------------------------------------------------


def _resolver_names() -> set[str]:
    def walk(resolver, ns=None):
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                inner = f"{ns}:{item.namespace}" if ns and item.namespace else (item.namespace or ns)
                yield from walk(item, inner)
            elif isinstance(item, URLPattern):
                yield f"{ns}:{item.name or '?'}" if ns else (item.name or "?")

    return set(walk(get_resolver()))


def test_every_url_of_the_resolver_is_in_the_table():
    missing = sorted(_resolver_names() - {entry.name for entry in TABLE.values()})
    assert missing == [], f"add these URL names to TABLE: {missing}"


def _samples(zoning, planner, administrator) -> dict:
    yongqing = Division.objects.current().get(code="620521100000")
    place = naming.create_place_name(standard_name="矩阵山", category="terrain", division=yongqing, geom=yongqing.seat)
    application = naming.file_application(created_by=zoning, applicant="永清镇人民政府", proposed_name="矩阵路",
                                          kind="street", division=yongqing, reasons="测试", location_description="县城")
    sign = Sign.objects.create(sign_type="village", place=place, division=yongqing, text_cn="矩阵山",
                               text_pinyin="JUZHEN SHAN", planned_geom=yongqing.seat)
    facility = Facility.objects.create(kind="social_work_station", name="矩阵站", division=yongqing,
                                       location=Point(yongqing.seat.x, yongqing.seat.y, srid=4490))
    scenario = SiteScenario.objects.create(name="矩阵方案", division=yongqing.parent, kind="social_work_station",
                                           radius_km=2, count=1, created_by=planner)
    viewer_user = set_up_user(username="matrix_viewer", role=Role.VIEWER, jurisdiction="620521000000")
    load_demo_inspections()
    special = JointInspection.objects.get(source="synthetic", kind=InspectionKind.SPECIAL)
    line = special.line  # 清水|张家川: a county line of 清水县
    job = Job.objects.create(kind="matrix", division_code="620521000000", created_by=administrator)
    samples = {"line": line, "inspection": special, "finding": special.findings.first(),
               "issue": BoundaryIssue.objects.filter(line=line).first(), "job": job,
               "division": yongqing, "place": place, "application": application, "sign": sign,
               "facility": facility, "scenario": scenario, "viewer_user": viewer_user}
    out = {key: str(obj.pk) for key, obj in samples.items()}
    for key, obj in samples.items():
        history = getattr(obj, "history", None)
        if history is not None:
            out[f"{key}_version"] = str(history.order_by("history_date").first().history_id)
    out["missing"] = "987654321"
    out["None_version"] = "987654321"
    return out


def _allowed(response) -> bool:
    if response.status_code in (401, 403, 404):
        return False
    if response.status_code in (301, 302):
        # To a login page, or the admin's "no such object" redirect to its index.
        location = response.get("Location", "")
        return "/login/" not in location and location != "/admin/"
    return response.status_code < 500


def _url(entry: Row, samples: dict) -> str:
    kwargs = {k: samples.get(v, v) for k, v in entry.path.items()}
    if entry.name == "admin:?":
        return "/admin/x/"
    try:
        url = reverse(entry.name, kwargs=kwargs or None)
    except NoReverseMatch:  # simple_history's regex routes take positional arguments
        url = reverse(entry.name, args=list(kwargs.values()))
    query = entry.query.format(**samples)
    return f"{url}?{query}" if query else url


@pytest.mark.django_db
def test_each_persona_gets_the_outcome_the_table_says(demo_data, administrator, zoning_officer, field_worker,
                                                      planner, viewer, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    personas = dict(zip(PERSONAS, (administrator, zoning_officer, field_worker, planner, viewer, outsider, None),
                        strict=True))
    samples = _samples(zoning_officer, planner, administrator)
    clients = {}
    for key, user in personas.items():
        clients[key] = Client(raise_request_exception=False)
        if user is not None:
            clients[key].force_login(user)
    wrong, checked = [], 0
    for entry in TABLE.values():
        if entry.name not in _resolver_names():
            continue  # a row for a URL another branch adds
        url = _url(entry, samples)
        for method, expected in (("GET", entry.get), ("POST", entry.post)):
            if expected is None:
                continue
            for key, want in zip(PERSONAS, expected, strict=True):
                if want == ".":
                    continue
                client = clients[key]
                if entry.name in ("logout", "admin:logout"):  # a throwaway session, not the persona's
                    client = Client(raise_request_exception=False)
                    if personas[key] is not None:
                        client.force_login(personas[key])
                if method == "GET":
                    response = client.get(url)
                elif entry.json:
                    response = client.post(url, "{}", content_type="application/json")
                else:
                    response = client.post(url, {})
                checked += 1
                if response.status_code >= 500:
                    wrong.append(f"{method} {url} as {key}: server error {response.status_code}")
                elif _allowed(response) != (want == "+"):
                    wrong.append(f"{method} {url} as {key}: got {response.status_code} "
                                 f"{response.get('Location', '')}, expected {want}")
    print(f"\npermission matrix: {len(TABLE)} URL names, {checked} requests")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
def test_a_role_without_the_right_cannot_confirm_a_reading(demo_data, field_worker, planner, viewer,
                                                           zoning_officer):
    """The row placename-confirm-reading cannot tell these three from a status: the view
    answers every one with a redirect to the name; the reading must stay unconfirmed."""
    yongqing = Division.objects.current().get(code="620521100000")
    place = naming.create_place_name(standard_name="矩阵岭", category="terrain", division=yongqing, geom=yongqing.seat)
    before = PlaceName.objects.values().get(pk=place.pk)
    for user in (field_worker, planner, viewer):
        client = Client()
        client.force_login(user)
        response = client.post(reverse("placename-confirm-reading", kwargs={"pk": place.pk}),
                               {"romanization": "Jǔzhèn Lǐng", "reason": "矩阵测试：无权核定"}, follow=True)
        assert response.status_code in (200, 403, 404)
        assert PlaceName.objects.values().get(pk=place.pk) == before, user.role
    client = Client()
    client.force_login(zoning_officer)  # the same request from zoning staff does confirm it
    client.post(reverse("placename-confirm-reading", kwargs={"pk": place.pk}),
                {"romanization": "Jǔzhèn Lǐng", "reason": "矩阵测试：核定"})
    assert PlaceName.objects.values().get(pk=place.pk) != before
