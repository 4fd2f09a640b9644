"""Sign plans: a seat sign and a village sign for every village of a township that has
none of the right type yet, reviewable before saving, replacements for signs that need
them, the command and the plan page of zoning staff."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from boundaries.models import Division
from placenames.signs.actions import SignError, withdraw_planned_sign
from placenames.signs.models import Sign, SignStatus, SignType
from placenames.signs.plans import PlanError, plan_signs, requires_minority_script
from tests.placenames.signs.helpers import (
    DONGGUAN,
    YONGQING,
    township,
)

VILLAGES_OF_YONGQING = 25

# Load the gazetteer outside the test transaction before any fixture opens it (see conftest).
pytestmark = pytest.mark.usefixtures("_demo_placenames_loaded")


def test_a_dry_run_lists_the_seat_and_every_village_without_saving(gazetteer):
    plan = plan_signs(township=township(YONGQING))
    assert plan.dry_run and not plan.saved
    assert Sign.objects.count() == 0
    types = [item.sign_type for item in plan.items]
    assert types.count(SignType.SEAT) == 1
    assert types.count(SignType.VILLAGE) == VILLAGES_OF_YONGQING
    seat = next(item for item in plan.items if item.sign_type == SignType.SEAT)
    assert (seat.text_cn, seat.text_pinyin) == ("永清镇", "Yongqing Zhen")
    assert seat.position.equals_exact(township(YONGQING).seat, 1e-9)
    village = next(item for item in plan.items if item.division.code == DONGGUAN)
    # The village's form of its committee's name, as 村牌 are printed (docs/adr/0021).
    assert gazetteer.get(code=DONGGUAN).sign_text == "Dongguan Cunmin Weiyuanhui"
    assert (village.text_cn, village.text_pinyin) == ("东关村", "Dongguan Cun")
    assert village.position.equals_exact(Division.objects.get(code=DONGGUAN).seat, 1e-9)


def test_saving_a_plan_stores_the_listed_signs_and_a_second_plan_adds_nothing(yongqing_plan):
    assert len(yongqing_plan.saved) == VILLAGES_OF_YONGQING + 1
    assert Sign.objects.filter(status=SignStatus.PLANNED).count() == VILLAGES_OF_YONGQING + 1
    sign = Sign.objects.get(division__code=DONGGUAN)
    assert (sign.size, sign.style) == ("1000×600 mm", "蓝底白字")
    assert sign.history.count() == 1
    again = plan_signs(township=township(YONGQING), dry_run=False)
    assert again.items == [] and again.already == VILLAGES_OF_YONGQING + 1


def test_a_village_with_a_sign_is_not_planned_again_but_a_withdrawn_plan_is(yongqing_plan, village_sign):
    withdraw_planned_sign(sign=village_sign, reason="重复")
    plan = plan_signs(township=township(YONGQING))
    assert [item.division.code for item in plan.items] == [DONGGUAN]
    with pytest.raises(SignError):
        withdraw_planned_sign(sign=village_sign, reason="again")


def test_a_sign_that_needs_replacement_gets_a_replacement_at_its_place(yongqing_plan, village_sign):
    village_sign.status = SignStatus.NEEDS_REPLACEMENT  # as after a renaming (see test_signs_rename)
    village_sign.save()
    plan = plan_signs(township=township(YONGQING), dry_run=False)
    assert len(plan.items) == 1 and plan.items[0].replaces == village_sign
    assert "替换" in plan.items[0].reason
    replacement = plan.saved[0]
    assert replacement.planned_geom.equals_exact(village_sign.planned_geom, 1e-9)
    assert plan_signs(township=township(YONGQING)).items == []


def test_only_townships_can_be_planned(gazetteer):
    with pytest.raises(PlanError, match="不是乡级区划"):
        plan_signs(township=Division.objects.get(code=DONGGUAN))


def test_a_field_worker_may_not_plan(gazetteer, field_worker):
    with pytest.raises(PlanError, match="无权"):
        plan_signs(township=township(YONGQING), created_by=field_worker)


def test_signs_in_autonomous_areas_need_the_minority_script(gazetteer):
    assert not requires_minority_script(township(YONGQING))
    county = Division.objects.get(code="620521000000")
    county.kind = "autonomous_county"
    county.save()
    assert requires_minority_script(Division.objects.get(code=DONGGUAN))
    item = next(i for i in plan_signs(township=township(YONGQING)).items if i.division.code == DONGGUAN)
    assert any("少数民族文字" in w for w in item.warnings)


def test_the_command_lists_by_default_and_saves_with_commit(gazetteer, media):
    out = StringIO()
    call_command("plan_signs", "--township", "620521100", stdout=out)
    assert "试算" in out.getvalue() and "永清镇\tYongqing Zhen" in out.getvalue()
    assert Sign.objects.count() == 0
    call_command("plan_signs", "--township", "620521100", "--commit", stdout=StringIO())
    assert Sign.objects.count() == VILLAGES_OF_YONGQING + 1


def test_zoning_staff_review_then_save_a_plan_on_the_plan_page(client, gazetteer, zoning_officer):
    client.force_login(zoning_officer)
    page = client.get("/signs/plan/", {"township": YONGQING})
    assert page.status_code == 200
    assert "东关村民委员会" in page.content.decode() and Sign.objects.count() == 0
    saved = client.post("/signs/plan/", {"township": YONGQING})
    assert saved.status_code == 302
    assert Sign.objects.filter(planned_by=zoning_officer).count() == VILLAGES_OF_YONGQING + 1


def test_the_plan_page_is_for_zoning_staff_only(client, gazetteer, field_worker):
    client.force_login(field_worker)
    assert client.get("/signs/plan/", {"township": YONGQING}).status_code == 403
