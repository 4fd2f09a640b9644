"""The permission matrix (issue 16): every URL of the resolver — pages, APIs, exports,
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

from boundaries.models import Division
from facilities.models import Facility, SiteScenario
from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames import actions as naming
from placenames.sign_models import Sign

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


TABLE: dict[str, Row] = {}


def row(name, get=EVERYONE, post=None, path=None, query=""):
    TABLE[name] = Row(name, get, post, path or {}, query)


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
row("division-detail", path={"code": "620521100"})
row("boundary-line-list", get=LOGGED_IN, query="parent=620521&level=township")
row("coverage-check", get="+++++--", query="parent=620521100")  # 永清镇: inside the field worker's own
row("boundary-line-detail", get=NOBODY, path={"line_id": "missing"})
row("boundary-line-propose", get=None, post=NOBODY, path={"line_id": "missing"})
row("line-edit-detail", get=NOBODY, path={"edit_id": "missing"})
row("line-edit-decide", get=None, post=NOBODY, path={"edit_id": "missing", "decision": "approve"})
row("boundary-export", get="+++++--", query="within=620521100&levels=village&format=geojson&lines=0")
# Read-only shells for every logged-in role; their data APIs scope, saving needs zoning staff.
row("boundary-editor", get=LOGGED_IN, query="parent=620521&level=township")
row("line-edit-list", get=LOGGED_IN)
row("division-change-list", get=LOGGED_IN)
row("division-change-new", get=LOGGED_IN)
row("line-edit-review", get=NOBODY, path={"edit_id": "missing"})
row("line-edit-approve", get=None, post=NOBODY, path={"edit_id": "missing"})
row("line-edit-reject", get=None, post=NOBODY, path={"edit_id": "missing"})
row("placename-search", query="q=永清")
row("placename-romanize", query="name=永清镇")
row("placename-check", get=None, post=LOGGED_IN)
row("placename-export", get="+++++--", query="within=620521100&format=csv")
row("placename-portal")
row("placename-page", path={"pk": "place"})
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
    missing = sorted(_resolver_names() - set(TABLE))
    assert missing == [], f"add these URL names to TABLE: {missing}"


def _samples(zoning, planner) -> dict:
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
    samples = {"division": yongqing, "place": place, "application": application, "sign": sign,
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
    samples = _samples(zoning_officer, planner)
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
                response = client.get(url) if method == "GET" else client.post(url, {})
                checked += 1
                if response.status_code >= 500:
                    wrong.append(f"{method} {url} as {key}: server error {response.status_code}")
                elif _allowed(response) != (want == "+"):
                    wrong.append(f"{method} {url} as {key}: got {response.status_code} "
                                 f"{response.get('Location', '')}, expected {want}")
    print(f"\npermission matrix: {len(TABLE)} URL names, {checked} requests")
    assert wrong == [], "\n".join(wrong)
