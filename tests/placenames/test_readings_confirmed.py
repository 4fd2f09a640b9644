"""Readings an officer can trust and correct: flagged readings are marked until zoning
staff confirm them; a confirmed reading wins in the gazetteer, signs and announcements.

长沟村民委员会 (620521104207, 清水县) is a real village whose 长 the engine reads zhǎng:
a flagged reading (长 cháng/zhǎng, CC-CEDICT: 长子 Zhǎngzǐ, 天长 Tiāncháng).
"""

import datetime as dt

import pytest
from django.urls import reverse

from placenames import actions
from placenames.models import PlaceName
from placenames.signs.models import Sign, SignType
from placenames.signs.plans import plan_signs
from tests.placenames.builders import approved, division

CHANGGOU = "620521104207"


@pytest.fixture
def changgou(gazetteer):
    place = gazetteer.get(code=CHANGGOU)
    assert place.reading_unconfirmed and place.reading_review[0]["char"] == "长"
    return place


def test_a_sign_plan_marks_an_unconfirmed_flagged_reading(changgou, media):
    plan = plan_signs(township=division("620521104"), dry_run=True)
    item = next(i for i in plan.items if i.place.pk == changgou.pk)
    assert item.reading_unconfirmed and any("读音待核定（长）" in w for w in item.warnings)


def test_a_confirmed_reading_is_what_signs_print(changgou, media, zoning_officer):
    plan_signs(township=division("620521104"), dry_run=False)
    sign = Sign.objects.get(place=changgou, sign_type=SignType.VILLAGE)
    assert sign.text_pinyin.startswith("Zhanggou")
    actions.confirm_reading(place=changgou, romanization="Chánggōu Cūnmín Wěiyuánhuì",
                            reason="2016年地名普查读音调查：当地读 cháng", confirmed_by=zoning_officer)
    sign.refresh_from_db()
    assert sign.text_pinyin == "Changgou Cunmin Weiyuanhui"
    place = PlaceName.objects.get(pk=changgou.pk)
    assert place.reading_confirmed and not place.reading_unconfirmed
    assert place.history.first().history_change_reason.startswith("读音核定：Chánggōu")
    again = plan_signs(township=division("620521104"), dry_run=True)
    assert all(not i.reading_unconfirmed for i in again.items if i.place.pk == changgou.pk)


def test_the_confirmed_reading_survives_a_recomputation_until_the_name_changes(changgou, zoning_officer):
    from placenames.naming import set_name

    place = actions.confirm_reading(place=changgou, romanization="Chánggōu Cūnmín Wěiyuánhuì", reason="调查",
                                    confirmed_by=zoning_officer)
    set_name(place, place.standard_name, region=CHANGGOU)
    assert place.romanization == "Chánggōu Cūnmín Wěiyuánhuì"
    set_name(place, "长岭村民委员会", region=CHANGGOU)
    assert not place.reading_confirmed and place.romanization != "Chánggōu Cūnmín Wěiyuánhuì"


def test_the_announcement_marks_then_prints_the_confirmed_reading(client, gazetteer, zoning_officer):
    app = approved(zoning_officer, proposed_name="长坡路")
    place = app.result_place
    client.force_login(zoning_officer)
    url = reverse("naming-application-announcement", args=[app.pk])
    assert place.reading_unconfirmed  # 长 flagged, as in 长沟
    assert "读音待核定" in client.get(url).content.decode()
    response = client.post(reverse("placename-confirm-reading", args=[place.pk]),
                           {"romanization": "Chángpō Lù", "reason": "命名方案注音"}, follow=True)
    assert "读音已核定" in response.content.decode()
    notice = client.get(url).content.decode()
    assert "Chángpō Lù" in notice and "读音待核定" not in notice


def test_only_zoning_staff_of_the_jurisdiction_confirm_readings(changgou, outsider, field_worker):
    for user in (outsider, field_worker):
        with pytest.raises(actions.WorkflowError, match="无权"):
            actions.confirm_reading(place=changgou, romanization="Chánggōu", reason="x", confirmed_by=user)


def test_a_confirmation_needs_a_reason_and_a_pinyin_spelling(changgou, zoning_officer):
    with pytest.raises(actions.WorkflowError, match="依据"):
        actions.confirm_reading(place=changgou, romanization="Chánggōu", reason=" ", confirmed_by=zoning_officer)
    with pytest.raises(actions.WorkflowError, match="罗马字母"):
        actions.confirm_reading(place=changgou, romanization="长沟", reason="调查", confirmed_by=zoning_officer)
    assert PlaceName.objects.get(pk=changgou.pk).reading_confirmed is False


def test_the_workflow_records_announcement_number_and_waits_for_filing_for_other_departments(gazetteer, zoning_officer):
    app = approved(zoning_officer, proposed_name="锦华苑", kind="residential")
    assert app.approved_by_other_department and app.announcement_due is None
    with pytest.raises(actions.WorkflowError, match="须先登记备案"):
        actions.record_announcement(application=app, date=app.decision_date, number="清民地公告〔2026〕2号")
    actions.record_filing(application=app, date=app.decision_date + dt.timedelta(days=2))
    assert app.announcement_due == app.decision_date + dt.timedelta(days=17)
    actions.record_announcement(application=app, date=app.decision_date + dt.timedelta(days=3),
                                number="清民地公告〔2026〕2号")
    assert app.announcement_no == "清民地公告〔2026〕2号" and app.announcing_body() == "清水县民政局"
