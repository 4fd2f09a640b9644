"""The dispute and hazard register: states along ISSUE_TRANSITIONS with a mediation log,
filters and counts per line and per jurisdiction by risk, peaceful-boundary agreements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import LineString

from boundaries.inspections import actions
from boundaries.inspections.actions import InspectionError
from boundaries.inspections.models import IssueStatus, PeacefulBoundaryAgreement


@pytest.fixture
def dispute(qinan_line, markers, zoning_officer):
    return actions.open_issue(line=qinan_line, kind="dispute", category="grazing", title="草场纠纷",
                              geom=markers[1].geom, risk="high", reported_by=zoning_officer)


def test_a_dispute_is_mediated_then_resolved_with_a_dated_log(dispute, zoning_officer, qinan_officer):
    actions.move_issue(issue=dispute, to=IssueStatus.MEDIATING, by=qinan_officer, text="协调会", on=dt.date(2026, 3, 1))
    actions.move_issue(issue=dispute, to=IssueStatus.RESOLVED, by=zoning_officer, text="签订协议", on=dt.date(2026, 4, 1))
    dispute.refresh_from_db()
    assert dispute.status == IssueStatus.RESOLVED and dispute.resolved_on == dt.date(2026, 4, 1)
    assert [(e.on, e.status_after) for e in dispute.mediation.all()] == [
        (dt.date(2026, 3, 1), "mediating"), (dt.date(2026, 4, 1), "resolved")]
    with pytest.raises(InspectionError, match="不能改为"):
        actions.move_issue(issue=dispute, to=IssueStatus.MEDIATING, by=zoning_officer, text="再议")


def test_an_outsider_cannot_register_or_mediate(qinan_line, dispute, outsider, markers):
    with pytest.raises(InspectionError):
        actions.open_issue(line=qinan_line, kind="hazard", category="other", title="x", geom=markers[0].geom,
                           reported_by=outsider)
    with pytest.raises(InspectionError):
        actions.move_issue(issue=dispute, to=IssueStatus.MEDIATING, by=outsider, text="x")


def test_a_stretch_of_the_line_can_be_the_location(qinan_line, zoning_officer):
    stretch = LineString(qinan_line.geom[0].coords[5:15], srid=4490)
    issue = actions.open_issue(line=qinan_line, kind="dispute", category="water", title="取水", geom=stretch,
                               reported_by=zoning_officer)
    assert issue.geom.geom_type == "LineString"


def test_the_register_filters_and_counts_by_risk(client, dispute, qinan_line, zoning_officer, markers):
    actions.open_issue(line=qinan_line, kind="hazard", category="marker_damage", title="界桩倾斜",
                       geom=markers[2].geom, risk="low", reported_by=zoning_officer)
    client.force_login(zoning_officer)
    page = client.get("/boundaries/inspections/issues/?risk=high")
    assert [i.title for i in page.context["issues"]] == ["草场纠纷"]
    counts = client.get("/boundaries/inspections/issues/").context
    row = next(r for r in counts["by_line"] if r["line"] == qinan_line.pk)
    assert (row["high"], row["low"], row["total"]) == (1, 1, 2)
    assert counts["by_side"]["清水县"] == {"high": 1, "medium": 0, "low": 1}


def test_peaceful_boundary_agreements_list_their_lines(client, qinan_line, zoning_officer, outsider):
    agreement = PeacefulBoundaryAgreement.objects.create(
        title="清秦平安边界协议", party_a=qinan_line.left, party_b=qinan_line.right, signed_on=dt.date(2024, 1, 1),
        term_end=dt.date(2028, 12, 31))
    agreement.lines.add(qinan_line)
    client.force_login(zoning_officer)
    assert "清秦平安边界协议" in client.get("/boundaries/inspections/peace/").content.decode()
    client.force_login(outsider)
    assert "清秦平安边界协议" not in client.get("/boundaries/inspections/peace/").content.decode()


def test_an_agreement_is_registered_with_its_files_and_an_amendment_names_it(
        client, qinan_line, zoning_officer, outsider, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boundaries.inspections.models import BoundaryAgreement

    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(zoning_officer)
    client.post(f"/boundaries/inspections/lines/{qinan_line.pk}/agreement", {
        "number": "甘界协〔2003〕02号", "signed_on": "2003-12-18",
        "map_file": SimpleUploadedFile("map.pdf", b"%PDF-1.4 map"),
        "marker_table_file": SimpleUploadedFile("markers.csv", "编号\n清秦001Q\n".encode())})
    original = BoundaryAgreement.objects.get()
    client.post(f"/boundaries/inspections/lines/{qinan_line.pk}/agreement", {
        "number": "甘界协〔2015〕07号", "signed_on": "2015-06-01", "amends": str(original.pk)})
    amendment = BoundaryAgreement.objects.exclude(pk=original.pk).get()
    assert amendment.amends_id == original.pk and amendment.party_right.code == "620522000000"
    page = client.get(f"/boundaries/inspections/lines/{qinan_line.pk}/").content.decode()
    assert "甘界协〔2003〕02号" in page and "甘界协〔2015〕07号" in page
    download = client.get(f"/boundaries/inspections/agreements/{original.pk}/markers")
    assert b"".join(download.streaming_content).decode() == "编号\n清秦001Q\n"
    client.force_login(outsider)
    assert client.get(f"/boundaries/inspections/agreements/{original.pk}/markers").status_code == 404
