"""The Django admin is one more way in and follows the app's rules.

An administrator manages only users of their jurisdiction, with roles no higher than
their own, never the superuser/staff flags; history pages scope like the change list
and never revert; domain records are not added or changed through free admin forms;
the role table is a union (administrators record sign installations)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from boundaries.models import Division
from geoapp.actions import grant_problems, set_up_user
from geoapp.admin import ScopedHistoryAdmin
from geoapp.models import User
from geoapp.roles import Role, ensure_roles, role_permissions

YONGQING = "620521100000"


def _change_user(client, user, **fields):
    data = {"username": user.username, "first_name": "", "last_name": "", "email": "", "is_active": "on",
            "role": "viewer", "jurisdiction_code": user.jurisdiction_code, **fields}
    return client.post(f"/admin/geoapp/user/{user.pk}/change/", data)


def test_an_administrator_cannot_make_a_user_superuser_or_staff_or_pick_groups(client, administrator, viewer):
    client.force_login(administrator)
    admin_group = Group.objects.get(name="admin")
    response = _change_user(client, viewer, is_superuser="on", is_staff="on", groups=[admin_group.pk],
                            user_permissions=[1, 2, 3])
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_superuser and not viewer.is_staff
    assert viewer.role == Role.VIEWER and not viewer.user_permissions.exists()


def test_an_administrator_cannot_move_a_user_outside_their_jurisdiction(client, administrator, viewer):
    client.force_login(administrator)
    response = _change_user(client, viewer, jurisdiction_code="640500000000")
    assert response.status_code == 200 and "不在您的辖区内" in response.content.decode()
    viewer.refresh_from_db()
    assert viewer.jurisdiction_code == "620521000000"


def test_an_administrator_neither_sees_outsiders_nor_superusers(client, administrator, outsider):
    boss = User.objects.create_superuser("boss", password="x-long-password", jurisdiction_code="620521000000")
    client.force_login(administrator)
    listing = client.get("/admin/geoapp/user/").content.decode()
    assert administrator.username in listing and outsider.username not in listing and "boss" not in listing
    for user in (outsider, boss):
        assert client.get(f"/admin/geoapp/user/{user.pk}/change/").status_code in (302, 404)
        assert client.post(f"/admin/geoapp/user/{user.pk}/password/",
                           {"password1": "taken-over-1", "password2": "taken-over-1"}).status_code in (302, 404)
    boss.refresh_from_db()
    assert boss.check_password("x-long-password")


def test_roles_are_granted_only_up_to_ones_own_and_inside_ones_jurisdiction(administrator, zoning_officer):
    assert grant_problems(granted_by=administrator, role="zoning", jurisdiction=YONGQING) == []
    assert grant_problems(granted_by=administrator, role="admin", jurisdiction="640500000000")
    assert grant_problems(granted_by=zoning_officer, role="viewer", jurisdiction=YONGQING) == ["您无权管理用户"]


def test_a_new_user_added_by_an_administrator_gets_exactly_the_chosen_role(client, administrator):
    client.force_login(administrator)
    response = client.post("/admin/geoapp/user/add/", {
        "username": "new_field", "password1": "a-long-password-1", "password2": "a-long-password-1",
        "role": "field", "jurisdiction_code": YONGQING, "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 302
    new = User.objects.get(username="new_field")
    assert new.role == Role.FIELD and not new.is_superuser and not new.is_staff and new.jurisdiction_code == YONGQING


def _two_versions(division):
    old_name = division.name
    division.name = old_name + "（试改）"
    division.save()
    division.name = old_name
    division.save()
    return division.history.order_by("history_date").first()


def test_division_history_of_another_jurisdiction_is_not_found(client, outsider, qingshui):
    oldest = _two_versions(qingshui)
    client.force_login(outsider)
    assert client.get(f"/admin/boundaries/division/{qingshui.pk}/history/").status_code == 404
    assert client.get(f"/admin/boundaries/division/{qingshui.pk}/history/{oldest.history_id}/").status_code == 404


def test_a_post_to_a_history_version_reverts_nothing(client, zoning_officer, qingshui):
    oldest = _two_versions(qingshui)
    client.force_login(zoning_officer)
    url = f"/admin/boundaries/division/{qingshui.pk}/history/{oldest.history_id}/"
    assert client.get(url).status_code == 200  # auditing a version is allowed
    response = client.post(url, {"name": "被还原的名称", "level": "county", "kind": qingshui.kind, "source": "official"})
    assert response.status_code == 403
    assert Division.objects.get(pk=qingshui.pk).name == "清水县"


def test_divisions_cannot_be_added_or_changed_in_the_admin(client, zoning_officer, administrator, qingshui):
    yongqing = Division.objects.current().get(code=YONGQING)
    zhongwei = Division.objects.current().get(code="640500000000")
    for user in (zoning_officer, administrator):
        client.force_login(user)
        assert client.get("/admin/boundaries/division/add/").status_code == 403
        response = client.post(f"/admin/boundaries/division/{yongqing.pk}/change/",
                               {"name": "改名镇", "parent": zhongwei.pk, "level": "township", "kind": "town"})
        assert response.status_code == 403
    yongqing.refresh_from_db()
    assert yongqing.name == "永清镇" and yongqing.parent_id == qingshui.pk


def test_every_history_admin_is_scoped_and_cannot_revert():
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, ScopedHistoryAdmin), model


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_every_permission_its_tables_grant(db, role):
    groups = ensure_roles()
    held = set(groups[role.value].permissions.values_list("content_type__app_label", "codename"))
    for label, actions in role_permissions()[role].items():
        app_label, model = label.split(".")
        for action in actions:
            assert (app_label, f"{action}_{model}") in held


def test_administrators_may_record_sign_installations_and_inspections(db):
    user = set_up_user(username="admin_signs", role=Role.ADMIN, jurisdiction="620521000000")
    assert user.has_perm("placenames.add_signinstallation") and user.has_perm("placenames.add_signinspection")
    assert user.has_perm("placenames.add_sign")
