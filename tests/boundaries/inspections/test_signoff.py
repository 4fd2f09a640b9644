"""Two-party sign-off (《行政区域界线管理条例》第十二条 共同报送): a user of each side signs,
an outsider cannot, one side alone cannot file, one person cannot sign for both sides,
signed records are read only, and a correction is a new record naming the original."""

from __future__ import annotations

import uuid

import pytest

from boundaries.inspections import actions
from boundaries.inspections.actions import InspectionError
from boundaries.inspections.models import INSPECTION_TRANSITIONS, InspectionStatus, JointInspection
from geoapp.actions import set_up_user
from geoapp.roles import Role
from tests.boundaries.inspections.conftest import check_marker


@pytest.fixture
def drafted(fieldwork, markers, zoning_officer):
    check_marker(fieldwork, markers[0], zoning_officer)
    return actions.draft_report(inspection=fieldwork, by=zoning_officer, summary="界线清楚")


def test_both_sides_sign_and_then_the_report_can_be_filed(drafted, zoning_officer, qinan_officer, qinan_line):
    actions.sign_inspection(inspection=drafted, user=zoning_officer)
    drafted.refresh_from_db()
    assert drafted.status == InspectionStatus.DRAFTED
    actions.sign_inspection(inspection=drafted, user=qinan_officer)
    drafted.refresh_from_db()
    assert drafted.status == InspectionStatus.SIGNED
    assert {s.side.code for s in drafted.signatures.all()} == {"620521000000", "620522000000"}
    actions.file_inspection(inspection=drafted, by=qinan_officer)
    drafted.refresh_from_db()
    qinan_line.refresh_from_db()
    assert drafted.status == InspectionStatus.FILED and drafted.filed_on is not None
    assert qinan_line.last_inspected == drafted.inspected_on


def test_one_side_alone_cannot_file(drafted, zoning_officer):
    actions.sign_inspection(inspection=drafted, user=zoning_officer)
    with pytest.raises(InspectionError, match="不能单方备案|不能改为"):
        actions.file_inspection(inspection=drafted, by=zoning_officer)
    drafted.refresh_from_db()
    assert drafted.status == InspectionStatus.DRAFTED and drafted.filed_on is None


def test_an_outsider_cannot_sign(drafted, outsider):
    with pytest.raises(InspectionError, match="不在此界线的任何一方"):
        actions.sign_inspection(inspection=drafted, user=outsider)
    assert not drafted.signatures.exists()


def test_a_field_worker_of_the_side_cannot_sign(drafted, county_field_worker):
    with pytest.raises(InspectionError, match="角色无权"):
        actions.sign_inspection(inspection=drafted, user=county_field_worker)


def test_one_person_cannot_sign_for_both_sides(drafted, db):
    city = set_up_user(username="zoning_ts", role=Role.ZONING, jurisdiction="620500000000")
    actions.sign_inspection(inspection=drafted, user=city, side=drafted.party_left)
    with pytest.raises(InspectionError, match="另一方签字"):
        actions.sign_inspection(inspection=drafted, user=city, side=drafted.party_right)
    assert drafted.signatures.count() == 1


def test_a_side_cannot_sign_twice(drafted, zoning_officer, db):
    actions.sign_inspection(inspection=drafted, user=zoning_officer)
    colleague = set_up_user(username="zoning_qs2", role=Role.ZONING, jurisdiction="620521000000")
    with pytest.raises(InspectionError, match="已由"):
        actions.sign_inspection(inspection=drafted, user=colleague)


def test_signed_records_are_read_only(drafted, zoning_officer, qinan_officer, markers):
    actions.sign_inspection(inspection=drafted, user=zoning_officer)
    with pytest.raises(InspectionError, match="已有一方签字"):
        actions.reopen_fieldwork(inspection=drafted, by=zoning_officer)
    actions.sign_inspection(inspection=drafted, user=qinan_officer)
    with pytest.raises(InspectionError, match="只读"):
        check_marker(drafted, markers[1], zoning_officer)
    with pytest.raises(InspectionError, match="只读"):
        actions.record_track(inspection=drafted, client_id=uuid.uuid4(), lines=[[(106.0, 34.9), (106.1, 34.9)]],
                             track_source="recorded", recorded_by=zoning_officer)
    assert drafted.marker_checks.count() == 1 and not drafted.tracks.exists()


def test_an_amendment_is_a_new_record_that_references_the_original(drafted, zoning_officer, qinan_officer):
    actions.sign_inspection(inspection=drafted, user=zoning_officer)
    actions.sign_inspection(inspection=drafted, user=qinan_officer)
    actions.file_inspection(inspection=drafted, by=zoning_officer)
    before = list(JointInspection.objects.filter(pk=drafted.pk).values())
    amendment = actions.amend_inspection(original=drafted, by=qinan_officer, reason="005 号界桩编号抄错")
    assert amendment.pk != drafted.pk and amendment.amends_id == drafted.pk
    assert amendment.status == InspectionStatus.PLANNED and "005 号界桩编号抄错" in amendment.summary
    assert list(JointInspection.objects.filter(pk=drafted.pk).values()) == before  # the original is untouched
    with pytest.raises(InspectionError):
        actions.amend_inspection(original=amendment, by=qinan_officer, reason="x")  # not signed yet


def test_the_workflow_edges_are_the_transitions_table(fieldwork, zoning_officer):
    assert INSPECTION_TRANSITIONS[InspectionStatus.FILED] == {}
    with pytest.raises(InspectionError, match="不能改为"):
        actions.start_fieldwork(inspection=fieldwork, by=zoning_officer)  # already in fieldwork


def test_sign_off_through_the_page_refuses_an_outsider_and_accepts_each_side(
        client, drafted, zoning_officer, qinan_officer, outsider):
    client.force_login(outsider)
    assert client.post(f"/boundaries/inspections/{drafted.pk}/sign").status_code == 404  # not even visible
    client.force_login(zoning_officer)
    assert client.post(f"/boundaries/inspections/{drafted.pk}/sign").status_code == 302
    client.force_login(qinan_officer)
    client.post(f"/boundaries/inspections/{drafted.pk}/sign")
    response = client.post(f"/boundaries/inspections/{drafted.pk}/file", follow=True)
    drafted.refresh_from_db()
    assert drafted.status == InspectionStatus.FILED
    assert "已备案" in response.content.decode()


def test_an_outer_line_has_no_second_party_in_the_system(county_lines, zoning_officer):
    outer = county_lines.get(left__code="620521000000", right__isnull=True)
    import datetime as dt

    with pytest.raises(InspectionError, match="外边界"):
        actions.plan_inspection(line=outer, round_year=2026, planned_start=dt.date(2026, 1, 1),
                                planned_end=dt.date(2026, 1, 2), created_by=zoning_officer)
