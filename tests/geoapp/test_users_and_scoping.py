"""Roles, jurisdiction scoping (one mechanism), add_user, admin and the map page."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from boundaries.models import Division
from geoapp.roles import Role


def test_a_zoning_officer_sees_only_divisions_in_the_county(zoning_officer):
    codes = Division.objects.for_user(zoning_officer).values_list("code", flat=True)
    assert codes and all(code.startswith("620521") for code in codes)


def test_a_field_worker_of_a_township_sees_only_that_township(field_worker):
    visible = Division.objects.for_user(field_worker)
    assert visible.filter(code="620521100000").exists()
    assert not visible.filter(code="620521101000").exists()
    assert not visible.filter(code="620521000000").exists()


def test_an_outsider_sees_nothing_of_tianshui(outsider):
    assert not Division.objects.for_user(outsider).within("620500").exists()
    assert Division.objects.for_user(outsider).filter(code="640521000000").exists()


def test_anonymous_and_inactive_users_see_nothing(db, zoning_officer):
    from django.contrib.auth.models import AnonymousUser

    assert not Division.objects.for_user(AnonymousUser()).exists()
    zoning_officer.is_active = False
    assert not Division.objects.for_user(zoning_officer).exists()


def test_can_act_on_follows_the_code_prefix(field_worker, planner):
    assert field_worker.can_act_on("620521100201")
    assert not field_worker.can_act_on("620521101201")
    assert planner.can_act_on("620525100000") and not planner.can_act_on("640521000000")


def test_add_user_creates_and_updates_idempotently(db):
    call_command("add_user", "li_ming", "--role", "planner", "--jurisdiction", "620521", "--password", "pw-12345678")
    call_command("add_user", "li_ming", "--role", "zoning", "--jurisdiction", "620500000000")
    user = get_user_model().objects.get(username="li_ming")
    assert user.role == Role.ZONING and user.jurisdiction_code == "620500000000"
    assert user.check_password("pw-12345678") and user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["zoning"]


@pytest.mark.parametrize(("jurisdiction", "message"), [("620599", "不是现行行政区划"), ("abc", "区划代码")])
def test_add_user_refuses_a_jurisdiction_that_does_not_exist(db, jurisdiction, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_user", "x", "--role", "viewer", "--jurisdiction", jurisdiction)
    assert not get_user_model().objects.filter(username="x").exists()


def test_the_admin_lists_only_divisions_in_the_jurisdiction(client, zoning_officer):
    client.force_login(zoning_officer)
    response = client.get("/admin/boundaries/division/?level__exact=township")
    assert response.status_code == 200
    body = response.content.decode()
    inside = set(Division.objects.within("620521").values_list("name", flat=True))
    outside = Division.objects.current().at_level("township").exclude(code__startswith="620521").exclude(name__in=inside)
    assert "620521100000" in body
    assert outside.exists()
    assert not any(d.code in body for d in outside)


def test_the_admin_refuses_a_division_outside_the_jurisdiction(client, outsider):
    client.force_login(outsider)
    qingshui = Division.objects.current().get(code="620521000000")
    response = client.get(f"/admin/boundaries/division/{qingshui.pk}/change/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_divisions_cannot_be_deleted_in_the_admin(client, zoning_officer):
    client.force_login(zoning_officer)
    division = Division.objects.current().get(code="620521100000")
    assert client.get(f"/admin/boundaries/division/{division.pk}/delete/").status_code == 403


def test_the_map_page_is_chinese_by_default_and_english_on_request(client, db):
    zh = client.get("/").content.decode()
    assert 'lang="zh-hans"' in zh and "民政地理信息平台" in zh
    en = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in en


def test_the_login_page_works_and_a_demo_user_can_log_in(client, zoning_officer):
    from tests.conftest import PASSWORD

    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "zoning_qs", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["map_config"]["home"] == "620521000000"


def test_pages_load_no_outside_assets(client, db):
    import re

    body = client.get("/").content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", body)
