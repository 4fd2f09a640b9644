"""Both directions of the one register: approving a naming application that
renames a division's name renames the Division too, through the division-change action,
so the register and the gazetteer never disagree."""

import pytest

from boundaries.models import ChangeKind, ChangeStatus, Division, DivisionChange
from boundaries.register import check_register
from placenames import actions
from placenames.models import FormerName, PlaceName
from tests.placenames.builders import approved, in_consultation, second_officer


def test_approving_the_renaming_of_a_township_name_renames_the_division(gazetteer, zoning_officer, yongqing):
    old = Division.objects.current().get(code="620521100000")
    villages = set(Division.objects.current().filter(parent=old).values_list("name", flat=True))
    app = approved(zoning_officer, proposed_name="清源镇", kind="township", place=yongqing)
    new = Division.objects.current().get(code="620521100000")
    assert (new.name, new.kind, new.source) == ("清源镇", "town", old.source) and new.pk != old.pk
    assert Division.objects.get(pk=old.pk).valid_to == app.decision_date  # end-dated, kept
    assert set(Division.objects.current().filter(parent=new).values_list("name", flat=True)) == villages
    change = DivisionChange.objects.get(created=new)
    assert (change.kind, change.status, change.decided_by) == (ChangeKind.RENAME, ChangeStatus.APPLIED, second_officer(zoning_officer))
    assert f"地名更名申请 #{app.pk}" in change.approval_document
    place = PlaceName.objects.get(pk=yongqing.pk)
    assert (place.standard_name, place.division_id, place.code) == ("清源镇", new.pk, "620521100000")
    assert list(FormerName.objects.filter(place=place).values_list("name", flat=True)) == ["永清镇"]
    assert app.result_place == place
    report = check_register("620521")
    assert report.ok, report.summary()


def test_renaming_a_xiang_to_a_zhen_in_the_workflow_is_refused_until_its_code_changes(gazetteer, zoning_officer):
    fengwang = PlaceName.objects.get(code="620521207000")
    app = in_consultation(zoning_officer, proposed_name="丰望镇", kind="township", place=fengwang)
    with pytest.raises(actions.WorkflowError, match="应在 100-199 之间"):
        actions.approve_naming(application=app, approved_by=second_officer(zoning_officer), approving_body="甘肃省人民政府")
    assert Division.objects.current().get(code="620521207000").name == "丰望乡"
    assert PlaceName.objects.get(pk=fengwang.pk).standard_name == "丰望乡"
