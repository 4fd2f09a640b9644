"""Rename cascade: when a renaming takes effect (approve_naming), the place's signs in
the field need replacement and appear on the next plan; installing the replacement
removes the old sign. Planned signs just take the new text."""

from __future__ import annotations

import pytest

from placenames.signs.models import Sign, SignStatus, SignType
from placenames.signs.plans import plan_signs
from tests.placenames import builders
from tests.placenames.signs.helpers import (
    YONGQING,
    install_url,
    installation_data,
    township,
)

# Load the gazetteer outside the test transaction before any fixture opens it (see conftest).
pytestmark = pytest.mark.usefixtures("_demo_placenames_loaded")


def _rename(officer, place, new_name: str):
    return builders.approved(officer, proposed_name=new_name, kind="village", code=place.division.code, place=place)


def test_an_approved_renaming_makes_installed_signs_need_replacement(client, field_worker, zoning_officer, village_sign):
    client.force_login(field_worker)
    assert client.post(install_url(village_sign), installation_data(village_sign)).status_code == 201
    _rename(zoning_officer, village_sign.place, "东兴村民委员会")
    village_sign.refresh_from_db()
    assert village_sign.status == SignStatus.NEEDS_REPLACEMENT
    assert "更名为“东兴村民委员会”" in village_sign.note
    assert village_sign.text_cn == "东关村"  # the old sign still shows the old name

    plan = plan_signs(township=township(YONGQING), dry_run=False)
    (item,) = plan.items
    assert item.replaces == village_sign and item.text_cn == "东兴村"
    assert item.text_pinyin == "Dongxing Cun"

    replacement = plan.saved[0]
    answer = client.post(install_url(replacement), installation_data(replacement))
    assert answer.status_code == 201, answer.content
    village_sign.refresh_from_db()
    assert village_sign.status == SignStatus.REMOVED
    assert Sign.objects.get(pk=replacement.pk).status == SignStatus.INSTALLED


def test_a_renaming_updates_the_text_of_signs_only_planned(zoning_officer, village_sign):
    _rename(zoning_officer, village_sign.place, "东兴村民委员会")
    village_sign.refresh_from_db()
    assert village_sign.status == SignStatus.PLANNED
    assert (village_sign.text_cn, village_sign.text_pinyin) == ("东兴村", "Dongxing Cun")
    assert plan_signs(township=township(YONGQING)).items == []


def test_the_old_text_is_refused_after_the_renaming(client, field_worker, zoning_officer, village_sign):
    _rename(zoning_officer, village_sign.place, "东兴村民委员会")
    client.force_login(field_worker)
    village_sign.refresh_from_db()
    data = installation_data(village_sign, text_cn="东关村")
    answer = client.post(install_url(village_sign), data)
    assert answer.status_code == 400
    assert "与标准名称“东兴村”不一致" in answer.json()["errors"][0]


def test_other_places_signs_are_untouched(zoning_officer, yongqing_plan, village_sign):
    _rename(zoning_officer, village_sign.place, "东兴村民委员会")
    seat = Sign.objects.get(sign_type=SignType.SEAT, division__code=YONGQING)
    assert seat.text_cn == "永清镇" and seat.status == SignStatus.PLANNED
