"""Hostile input to the gazetteer: the importer stays in the jurisdiction, the check API
discloses no pending application outside what the role may see, the naming workflow's
dates and four eyes, CSV formula injection, and the admin's history views of
applications."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from placenames import actions
from placenames.exchange import COLUMNS, export_csv, import_placenames
from placenames.models import ApplicationStatus, NamingApplication, PlaceName
from tests.placenames import builders

LONGDONG = "620521114000"  # 陇东镇, a township of 清水县


def _csv(path, rows):
    header = list(COLUMNS.values()) + ["lon", "lat", "wkt"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def _row(**fields):
    base = {"standard_name": "测试名", "place_type_code": "terrain", "division_code": "640502100000",
            "lon": "105.19", "lat": "37.51"}
    return {**base, **fields}


# --- importer ---------------------------------------------------------------------------


def test_an_outsider_import_cannot_rewrite_a_name_of_another_jurisdiction(gazetteer, outsider, tmp_path):
    target = PlaceName.objects.get(code=LONGDONG)
    before = (target.standard_name, target.division_id, target.geom.wkt, target.meaning)
    path = _csv(tmp_path / "names.csv", [_row(code=LONGDONG, standard_name="陇东镇", place_meaning="改写")])
    report = import_placenames(path, user=outsider)
    assert not report.ok
    assert any("辖区以外" in e.message for e in report.errors)
    target.refresh_from_db()
    assert (target.standard_name, target.division_id, target.geom.wkt, target.meaning) == before


def test_a_code_twice_in_one_file_is_an_error_not_one_new_and_one_update(gazetteer, zoning_officer, tmp_path):
    count = PlaceName.objects.count()
    rows = [_row(code="620521100999", division_code="620521100000", lon="106.0", lat="34.9", standard_name=n)
            for n in ("甲山", "乙山")]
    report = import_placenames(_csv(tmp_path / "dup.csv", rows), user=zoning_officer)
    assert not report.ok and any("重复" in e.message for e in report.errors)
    assert PlaceName.objects.count() == count


# --- check API --------------------------------------------------------------------------


def _pending(name: str):
    return builders.place_name(name, category="transport", where="620521100000", status="proposed")


def test_the_check_api_tells_an_outsider_only_that_a_non_public_conflict_exists(client, gazetteer, outsider):
    _pending("秘密路")
    client.force_login(outsider)
    response = client.post("/api/placenames/check", {"name": "秘密路", "kind": "street", "division": "620521100"},
                           content_type="application/json")
    body = response.content.decode()
    assert response.status_code == 200
    problems = response.json()["problems"]
    duplicate = next(p for p in problems if p["rule"] == "duplicate")
    assert "未公开" in duplicate["message"] and duplicate["conflicts"][0]["non_public"] is True
    assert "永清镇" not in body and "620521100" not in body.replace('"620521100"', "")


def test_the_check_api_shows_a_pending_conflict_to_staff_of_its_jurisdiction(client, gazetteer, zoning_officer):
    _pending("秘密路")
    client.force_login(zoning_officer)
    response = client.post("/api/placenames/check", {"name": "秘密路", "kind": "street", "division": "620521100"},
                           content_type="application/json")
    duplicate = next(p for p in response.json()["problems"] if p["rule"] == "duplicate")
    assert duplicate["conflicts"][0]["name"] == "秘密路" and "永清镇" in duplicate["message"]


# --- workflow dates and four eyes -------------------------------------------------------


def _ready(user, name="育才路"):
    app = builders.application(user, proposed_name=name)
    actions.submit_application(application=app)
    for field, text in builders.REPORTS.items():
        setattr(app, field, text)
    app.save()
    return app


def test_a_consultation_cannot_be_backdated(gazetteer, zoning_officer):
    app = _ready(zoning_officer)
    with pytest.raises(actions.WorkflowError, match="早于今天"):
        actions.start_consultation(application=app, start=dt.date(2020, 1, 1), days=1)
    assert NamingApplication.objects.get(pk=app.pk).status == ApplicationStatus.SUBMITTED


def test_a_decision_on_the_first_day_of_the_consultation_or_in_the_future_is_refused(gazetteer, zoning_officer):
    app = builders.in_consultation(zoning_officer, proposed_name="育才路")
    other = builders.second_officer(zoning_officer)
    with pytest.raises(actions.WorkflowError, match="首日"):
        actions.approve_naming(application=app, approved_by=other, decision_date=app.consultation_start)
    with pytest.raises(actions.WorkflowError, match="晚于今天"):
        actions.approve_naming(application=app, approved_by=other,
                               decision_date=timezone.localdate() + dt.timedelta(days=1))
    assert NamingApplication.objects.get(pk=app.pk).status == ApplicationStatus.CONSULTATION


def test_the_officer_who_filed_an_application_cannot_approve_it(gazetteer, zoning_officer):
    app = builders.in_consultation(zoning_officer, proposed_name="育才路")
    with pytest.raises(actions.WorkflowError, match="双人审核"):
        actions.approve_naming(application=app, approved_by=zoning_officer)
    approved = actions.approve_naming(application=app, approved_by=builders.second_officer(zoning_officer))
    assert approved.status == ApplicationStatus.APPROVED


def test_the_backdated_consultation_is_refused_through_the_page_too(client, gazetteer, zoning_officer):
    app = _ready(zoning_officer)
    client.force_login(zoning_officer)
    client.post(f"/names/applications/{app.pk}/consult", {"consult-start": "2020-01-01", "consult-days": "1"})
    assert NamingApplication.objects.get(pk=app.pk).consultation_start is None


# --- CSV formula injection --------------------------------------------------------------


@pytest.mark.parametrize("evil", ["=cmd|'/Ccalc'!A0", '=HYPERLINK("http://x.example/","点")', "+1+1", "-2+3", "@SUM(A1)",
                                  "\t=1"])
def test_the_csv_export_neutralises_a_formula_in_any_field(gazetteer, evil):
    place = builders.place_name("牛尾河", category="water", meaning=evil, origin=evil)
    data = export_csv(PlaceName.objects.filter(pk=place.pk)).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(data)))
    assert row["place_meaning"] == "'" + evil and row["place_origin"] == "'" + evil
    assert float(row["lon"]) > 0  # our own numbers stay numbers


@pytest.mark.parametrize("evil", ["=HYPERLINK(1)", "-永清路", "+永清路", "@永清路"])
def test_the_name_checks_refuse_a_name_that_starts_like_a_formula(evil):
    from placenames.checks import text_problems

    assert any(p.rule == "script" and p.severity == "error" and "公式" in p.message
               for p in text_problems(evil, "street"))


def test_the_audit_csv_is_neutralised_too(client, gazetteer, zoning_officer):
    builders.place_name("=HYPERLINK(1)", category="transport")
    client.force_login(zoning_officer)
    response = client.get("/names/audit.csv?division=620521")
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert "=HYPERLINK(1)" not in cells and any(cell.startswith("'=HYPERLINK(1)") for cell in cells)


# --- the admin of applications and names ------------------------------------------------


def test_a_post_to_an_application_history_version_cannot_approve_it(client, gazetteer, zoning_officer, outsider):
    app = builders.in_consultation(zoning_officer, proposed_name="育才路")
    version = app.history.order_by("history_date").first()
    url = f"/admin/placenames/namingapplication/{app.pk}/history/{version.history_id}/"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/admin/placenames/namingapplication/{app.pk}/history/").status_code == 404
    client.force_login(zoning_officer)
    assert client.post(url, {"status": "approved", "proposed_name": "育才路"}).status_code == 403
    assert NamingApplication.objects.get(pk=app.pk).status == ApplicationStatus.CONSULTATION


def test_a_place_name_cannot_be_moved_or_made_standard_in_the_admin(client, gazetteer, zoning_officer):
    place = builders.place_name("暂名路", category="transport", status="proposed")
    client.force_login(zoning_officer)
    assert client.get("/admin/placenames/placename/add/").status_code == 403
    response = client.post(f"/admin/placenames/placename/{place.pk}/change/", {"status": "standard"})
    assert response.status_code == 403
    assert PlaceName.objects.get(pk=place.pk).status == "proposed"
