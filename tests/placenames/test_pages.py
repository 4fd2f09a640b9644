"""Portal pages (public) and workflow pages (zoning staff, scoped by jurisdiction)."""

import datetime as dt

from django.urls import reverse

from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames.models import ApplicationStatus, NamingApplication
from tests.conftest import PASSWORD
from tests.placenames.builders import application, approved, elapse, in_consultation, place_name, second_officer


def test_the_portal_search_page_needs_no_login(client, gazetteer):
    response = client.get("/names/")
    assert response.status_code == 200
    assert "标准地名查询" in response.content.decode()


def test_a_name_page_shows_romanization_division_story_and_former_names(client, gazetteer, zoning_officer, yongqing):
    approved(zoning_officer, proposed_name="清源镇", kind="township", place=yongqing,
             meaning="取“清水之源”之义", origin="因地处牛头河上游而得名")
    page = client.get(reverse("placename-page", args=[yongqing.pk])).content.decode()
    assert "清源镇" in page and "Qīngyuán Zhèn" in page
    assert "清水县" in page and "甘肃省" in page
    assert "清水之源" in page and "牛头河上游" in page
    assert "永清镇" in page  # former name
    assert "boundary" not in page.lower()  # no sensitive layers, no boundary API


def test_a_proposed_or_retired_name_has_no_public_page(client, gazetteer):
    hidden = place_name("拟用路", category="transport", status="proposed")
    assert client.get(reverse("placename-page", args=[hidden.pk])).status_code == 404


def test_the_application_pages_walk_a_renaming_to_approval(client, gazetteer, zoning_officer, yongqing):
    client.force_login(zoning_officer)
    response = client.post(reverse("naming-application-new"), {
        "applicant": "永清镇人民政府", "proposed_name": "兴国镇", "kind": "township", "category": "",
        "division_code": "620521100", "place_code": "620521100000", "location_description": "清水县城",
        "scale": "面积 132 平方千米", "nature": "建制镇（县人民政府驻地）",
        "reasons": "恢复历史名称", "meaning": "", "origin": "",
    })
    app = NamingApplication.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("naming-application-detail", args=[app.pk])).content.decode()
    assert "秦安县兴国镇" in detail and "重名" in detail
    client.post(reverse("naming-application-edit", args=[app.pk]), {
        "applicant": "永清镇人民政府", "proposed_name": "清源镇", "kind": "township", "category": "",
        "division_code": "620521100", "place_code": "620521100000", "location_description": "清水县城",
        "scale": "面积 132 平方千米", "nature": "建制镇（县人民政府驻地）",
        "reasons": "恢复历史名称", "meaning": "", "origin": "",
    })
    def step(name, data=None):
        data = {f"{name}-{key}": value for key, value in (data or {}).items()}
        return client.post(reverse("naming-application-step", args=[app.pk, name]), data)

    step("submit")
    step("reports", {"overall_assessment": "可行", "expert_assessment": "同意", "consultation_report": "无异议",
                     "risk_assessment": "低"})
    step("consult", {"start": dt.date.today().isoformat(), "days": 30})
    elapse(NamingApplication.objects.get(pk=app.pk), days=40)  # the consultation ran its course
    client.force_login(second_officer(zoning_officer))  # four eyes: another officer decides
    step("approve", {"approving_body": "", "decision_date": dt.date.today().isoformat(), "note": ""})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED and app.approving_body == "甘肃省人民政府"
    assert app.result_place.standard_name == "清源镇"
    notice = client.get(reverse("naming-application-announcement", args=[app.pk])).content.decode()
    assert all(text in notice for text in ("清源镇", "Qīngyuán Zhèn", "甘肃省天水市清水县", "甘肃省人民政府", "永清镇"))
    step("announce", {"date": dt.date.today().isoformat(), "number": "甘民地公告〔2026〕1号"})
    notice = client.get(reverse("naming-application-announcement", args=[app.pk])).content.decode()
    # 第十四条: announced by the 地名行政主管部门 of the approving government's level, with its number.
    assert "甘肃省民政厅" in notice and "甘民地公告〔2026〕1号" in notice
    step("file", {"date": dt.date.today().isoformat()})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.COMPLETED


def test_an_application_with_errors_shows_why_it_cannot_be_approved(client, gazetteer, zoning_officer):
    app = in_consultation(zoning_officer, proposed_name="曼哈顿路")
    client.force_login(zoning_officer)
    response = client.post(reverse("naming-application-step", args=[app.pk, "approve"]),
                           {"approve-decision_date": dt.date.today().isoformat()}, follow=True)
    assert "不能批准" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CONSULTATION


def test_overdue_announcements_are_shown_in_the_list(client, gazetteer, zoning_officer):
    app = approved(zoning_officer, proposed_name="育新路")
    NamingApplication.objects.filter(pk=app.pk).update(decision_date=dt.date.today() - dt.timedelta(days=20))
    client.force_login(zoning_officer)
    assert "已逾期" in client.get(reverse("naming-application-list")).content.decode()


def test_outsiders_do_not_see_the_application(client, gazetteer, zoning_officer, outsider):
    app = application(zoning_officer, proposed_name="育新路")
    client.force_login(outsider)
    assert client.get(reverse("naming-application-detail", args=[app.pk])).status_code == 404
    assert "育新路" not in client.get(reverse("naming-application-list")).content.decode()


def test_viewers_may_look_but_not_file(client, gazetteer, zoning_officer):
    viewer = set_up_user(username="viewer_qs", role=Role.VIEWER, jurisdiction="620521000000", password=PASSWORD)
    app = application(zoning_officer, proposed_name="育新路")
    client.force_login(viewer)
    assert client.get(reverse("naming-application-detail", args=[app.pk])).status_code == 200
    assert client.get(reverse("naming-application-new")).status_code == 403
    assert client.post(reverse("naming-application-step", args=[app.pk, "submit"])).status_code == 403


def test_workflow_pages_need_a_login(client, gazetteer):
    response = client.get(reverse("naming-application-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_refuses_a_division_outside_the_jurisdiction(client, gazetteer, zoning_officer):
    client.force_login(zoning_officer)
    response = client.post(reverse("naming-application-new"), {
        "applicant": "x", "proposed_name": "育新路", "kind": "street", "division_code": "640502100",
        "reasons": "x", "location_description": "x",
    })
    assert response.status_code == 200 and "辖区内没有代码为" in response.content.decode()
