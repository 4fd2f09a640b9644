"""The one permission layer (geoapp.access): ``require`` checks login, then the permission,
then loads the view's object through the user's scoped queryset; ``json_error`` is the
one error answer of the APIs."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from boundaries.models import Division
from geoapp.access import Load, json_error, require
from geoapp.actions import set_up_user
from geoapp.roles import Role

QINGSHUI = "620521000000"
ZHONGWEI = "640500000000"

DIVISION = Load("division", lambda user: Division.objects.current().for_user(user), kwarg="code_pk",
                missing="没有编号为 {pk} 的区划")


def _request(user, path="/some/page/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _body(response) -> dict:
    return json.loads(response.content)


@require("boundaries.change_division")
def a_page(request):
    return HttpResponse("shown")


@require("boundaries.change_division", json=True, message=["只有区划地名工作人员可以使用"])
def an_api(request):
    return HttpResponse("shown")


@require(("boundaries.change_division", "facilities.change_facility"), json=True)
def either_api(request):
    return HttpResponse("shown")


@require(load=DIVISION)
def division_page(request, division):
    return HttpResponse(division.name)


@require(json=True, load=DIVISION)
def division_api(request, division):
    return HttpResponse(division.name)


@require(json=True, load=Load("division", DIVISION.rows, kwarg="code_pk", outside=lambda d: [f"{d.name}不归您管"]))
def division_api_naming_outsiders(request, division):
    return HttpResponse(division.name)


def test_an_anonymous_visitor_of_a_page_is_sent_to_the_login_page():
    response = a_page(_request(AnonymousUser(), "/some/page/?x=1"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/some/page/%3Fx%3D1"


def test_an_anonymous_client_of_an_api_gets_401_in_json():
    response = an_api(_request(AnonymousUser(), "/api/thing/"))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert _body(response) == {"error": "请先登录"}


def test_a_page_without_the_permission_is_refused_with_the_message(viewer):
    @require("boundaries.change_division", message="界线编辑仅限区划地名工作人员和管理员使用")
    def page(request):
        return HttpResponse("shown")

    with pytest.raises(PermissionDenied) as refused:
        page(_request(viewer))
    assert str(refused.value) == "界线编辑仅限区划地名工作人员和管理员使用"


def test_the_site_renders_a_refused_page_as_its_own_403_page_with_the_reason(client, viewer):
    client.force_login(viewer)
    response = client.get("/boundaries/editor/")
    assert response.status_code == 403
    assert "界线编辑仅限区划地名工作人员和管理员使用" in response.content.decode()


def test_an_api_without_the_permission_answers_403_in_the_shape_of_its_message(viewer, zoning_officer):
    refused = an_api(_request(viewer, "/api/thing/"))
    assert refused.status_code == 403
    assert _body(refused) == {"errors": ["只有区划地名工作人员可以使用"]}
    assert an_api(_request(zoning_officer, "/api/thing/")).content == b"shown"


def test_a_tuple_of_permissions_lets_in_anyone_holding_one_of_them(viewer, planner, zoning_officer):
    assert either_api(_request(planner)).status_code == 200  # facilities.change_facility
    assert either_api(_request(zoning_officer)).status_code == 200  # boundaries.change_division
    refused = either_api(_request(viewer))
    assert refused.status_code == 403 and "error" in _body(refused)


def test_the_loaded_object_is_passed_to_the_view(zoning_officer):
    qingshui = Division.objects.current().get(code=QINGSHUI)
    response = division_page(_request(zoning_officer), code_pk=qingshui.pk)
    assert response.content.decode() == "清水县"


def test_an_object_outside_the_jurisdiction_is_not_found(zoning_officer):
    zhongwei = Division.objects.current().get(code=ZHONGWEI)
    with pytest.raises(Http404):
        division_page(_request(zoning_officer), code_pk=zhongwei.pk)
    answer = division_api(_request(zoning_officer, "/api/thing/"), code_pk=zhongwei.pk)
    assert answer.status_code == 404
    assert _body(answer) == {"error": f"没有编号为 {zhongwei.pk} 的区划"}


def test_an_object_that_does_not_exist_is_not_found_either(zoning_officer):
    answer = division_api(_request(zoning_officer, "/api/thing/"), code_pk=10**9)
    assert answer.status_code == 404


def test_outside_names_a_row_of_another_jurisdiction_with_403(zoning_officer):
    zhongwei = Division.objects.current().get(code=ZHONGWEI)
    answer = division_api_naming_outsiders(_request(zoning_officer, "/api/thing/"), code_pk=zhongwei.pk)
    assert answer.status_code == 403
    assert _body(answer) == {"errors": ["中卫市不归您管"]}
    assert division_api_naming_outsiders(_request(zoning_officer), code_pk=10**9).status_code == 404


def test_json_error_sends_one_message_as_error_and_a_list_as_errors_in_plain_chinese():
    one = json_error("参数有误")
    assert one.status_code == 400 and _body(one) == {"error": "参数有误"}
    assert "参数有误" in one.content.decode()  # not \\u-escaped
    several = json_error(["缺少经度", "缺少纬度"], 422)
    assert several.status_code == 422 and _body(several) == {"errors": ["缺少经度", "缺少纬度"]}
    located = json_error("界线自相交", 409, location=[105.9, 34.7], conflict=True)
    assert _body(located) == {"error": "界线自相交", "location": [105.9, 34.7], "conflict": True}


# Who held each right when it was a role-name test (EDITOR_ROLES, ANALYSIS_ROLES, role == ADMIN).
CUSTOM = {
    "boundaries.edit_boundaryline": {Role.ADMIN, Role.ZONING},
    "facilities.analyse_facility": {Role.ADMIN, Role.ZONING, Role.PLANNER},
    "jobs.start_job": {Role.ADMIN},
}


@pytest.mark.parametrize("role", list(Role))
def test_the_custom_permissions_go_to_the_roles_the_role_names_named(db, role):
    user = set_up_user(username=f"custom_{role.value}", role=role, jurisdiction=QINGSHUI)
    held = {perm for perm, roles in CUSTOM.items() if user.has_perm(perm)}
    assert held == {perm for perm, roles in CUSTOM.items() if role in roles}
