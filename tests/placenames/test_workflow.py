"""The naming/renaming workflow (placenames.actions): states as data, checks at every
step, approval refused on blocking errors, deadlines, former names."""

import datetime as dt

import pytest
from django.test import override_settings

from placenames import actions
from placenames.models import TRANSITIONS, ApplicationStatus, FormerName, NamingApplication, PlaceName
from tests.placenames import builders
from tests.placenames.builders import REPORTS, application, approved, in_consultation

S = ApplicationStatus


def test_every_state_has_its_edges_in_the_transition_table():
    assert set(TRANSITIONS) == set(S.values)
    assert TRANSITIONS[S.COMPLETED] == TRANSITIONS[S.REJECTED] == set()
    assert S.APPROVED in TRANSITIONS[S.CONSULTATION] and S.APPROVED not in TRANSITIONS[S.SUBMITTED]


def test_filing_runs_the_checks_and_stores_them(gazetteer, zoning_officer):
    app = application(zoning_officer, proposed_name="兴国镇", kind="township")
    assert app.status == S.DRAFT
    assert app.check_result["ok"] is False and app.blocking_problems[0]["rule"] == "duplicate"
    assert app.category == "division"


def test_changing_the_name_re_runs_the_checks(gazetteer, zoning_officer):
    app = application(zoning_officer, proposed_name="兴国镇", kind="township")
    actions.update_application(application=app, proposed_name="清源镇")
    assert app.check_result["ok"] is True and app.blocking_problems == []


def test_submission_needs_reasons_and_a_location(gazetteer, zoning_officer):
    app = application(zoning_officer, proposed_name="育新路", location_description="")
    with pytest.raises(actions.WorkflowError, match="位置描述"):
        actions.submit_application(application=app)
    app.location_description = "县城北部"
    actions.submit_application(application=app)
    assert app.status == S.SUBMITTED


def test_a_step_off_the_table_is_refused(gazetteer, zoning_officer):
    app = application(zoning_officer, proposed_name="育新路")
    with pytest.raises(actions.WorkflowError, match="只有已批准"):
        actions.record_announcement(application=app, date=dt.date.today())
    actions.withdraw_application(application=app)
    with pytest.raises(actions.WorkflowError, match="不能转为"):
        actions.submit_application(application=app)


def test_consultation_needs_the_overall_and_expert_assessments(gazetteer, zoning_officer):
    app = application(zoning_officer, proposed_name="育新路")
    actions.submit_application(application=app)
    with pytest.raises(actions.WorkflowError, match="综合评估报告、专家论证报告"):
        actions.start_consultation(application=app)


def test_the_consultation_period_defaults_to_30_days_and_is_configurable(gazetteer, zoning_officer):
    app = in_consultation(zoning_officer, proposed_name="育新路", started_days_ago=0)
    assert (app.consultation_end - app.consultation_start).days == 30
    with override_settings(PLACENAMES_CONSULTATION_DAYS=20):
        other = in_consultation(zoning_officer, proposed_name="育德路", started_days_ago=0)
    assert (other.consultation_end - other.consultation_start).days == 20


def test_approval_waits_for_the_end_of_the_consultation(gazetteer, zoning_officer):
    app = in_consultation(zoning_officer, proposed_name="育新路", started_days_ago=5)
    with pytest.raises(actions.WorkflowError, match="征求意见期至"):
        actions.approve_naming(application=app, approved_by=builders.second_officer(zoning_officer))


def test_blocking_check_errors_prevent_approval(gazetteer, zoning_officer):
    app = in_consultation(zoning_officer, proposed_name="曼哈顿路")
    with pytest.raises(actions.WorkflowError, match="自动审查有错误"):
        actions.approve_naming(application=app, approved_by=builders.second_officer(zoning_officer))
    assert NamingApplication.objects.get(pk=app.pk).status == S.CONSULTATION


def test_checks_are_re_run_at_approval(gazetteer, zoning_officer):
    app = in_consultation(zoning_officer, proposed_name="育新路")
    builders.place_name("育新路", category="transport", where="620521101000")  # appeared meanwhile
    with pytest.raises(actions.WorkflowError, match="重名"):
        actions.approve_naming(application=app, approved_by=builders.second_officer(zoning_officer))


def test_division_names_need_a_risk_assessment(gazetteer, zoning_officer, yongqing):
    app = in_consultation(zoning_officer, proposed_name="清源镇", kind="township", place=yongqing)
    app.risk_assessment = ""
    app.save()
    with pytest.raises(actions.WorkflowError, match="风险评估报告"):
        actions.approve_naming(application=app, approved_by=builders.second_officer(zoning_officer))


def test_only_staff_of_the_jurisdiction_decide(gazetteer, zoning_officer, outsider, field_worker):
    app = in_consultation(zoning_officer, proposed_name="育新路")
    for user in (outsider, field_worker):
        with pytest.raises(actions.WorkflowError, match="无权"):
            actions.approve_naming(application=app, approved_by=user)


def test_approving_a_renaming_keeps_the_old_name_as_a_former_name(gazetteer, zoning_officer, yongqing):
    app = approved(zoning_officer, proposed_name="清源镇", kind="township", place=yongqing)
    place = PlaceName.objects.get(pk=yongqing.pk)
    assert place.standard_name == "清源镇" and place.romanization == "Qīngyuán Zhèn"
    assert place.pinyin == "qingyuanzhen" and "清源" in place.fragments
    former = FormerName.objects.get(place=place)
    assert former.name == "永清镇" and former.romanization == "Yǒngqīng Zhèn" and former.end == app.decision_date
    assert app.result_place == place and app.approving_body == "清水县人民政府"


def test_approving_a_new_name_creates_a_standard_place_name(gazetteer, zoning_officer):
    app = approved(zoning_officer, proposed_name="育新路", meaning="寓意培育新人")
    place = app.result_place
    assert place.standard_name == "育新路" and place.status == "standard" and place.category == "transport"
    assert place.romanization == "Yùxīn Lù" and place.meaning == "寓意培育新人"
    assert place.history.count() == 1


def test_default_approving_bodies_follow_the_kind(gazetteer, zoning_officer, yongqing):
    assert actions.default_approving_body(application(zoning_officer, proposed_name="清源镇", kind="township")) == "甘肃省人民政府"
    assert actions.default_approving_body(application(zoning_officer, proposed_name="育新路")) == "清水县人民政府"
    assert actions.default_approving_body(application(zoning_officer, proposed_name="清源县", kind="county")) == "国务院"


def test_announcement_and_filing_are_due_in_15_days_then_overdue(gazetteer, zoning_officer):
    app = approved(zoning_officer, proposed_name="育新路")
    assert app.announcement_due == app.decision_date + dt.timedelta(days=15)
    assert app.deadline_state("announcement") == "due"
    assert app.deadline_state("filing", today=app.decision_date + dt.timedelta(days=16)) == "overdue"
    actions.record_announcement(application=app, date=app.decision_date)
    assert app.deadline_state("announcement") == "done" and app.status == S.APPROVED
    actions.record_filing(application=app, date=app.decision_date + dt.timedelta(days=3))
    assert app.status == S.COMPLETED


def test_rejection_needs_a_reason(gazetteer, zoning_officer):
    app = in_consultation(zoning_officer, proposed_name="育新路")
    with pytest.raises(actions.WorkflowError, match="理由"):
        actions.reject_naming(application=app, rejected_by=zoning_officer, note=" ")
    actions.reject_naming(application=app, rejected_by=zoning_officer, note="与规划不符")
    assert app.status == S.REJECTED


def test_an_application_in_consultation_can_no_longer_be_edited(gazetteer, zoning_officer):
    app = in_consultation(zoning_officer, proposed_name="育新路")
    with pytest.raises(actions.WorkflowError, match="不能再修改"):
        actions.update_application(application=app, proposed_name="育德路")


def test_reports_listed_as_missing(gazetteer, zoning_officer):
    app = application(zoning_officer, proposed_name="育新路")
    assert len(app.missing_reports()) == 3
    for field, text in REPORTS.items():
        setattr(app, field, text)
    assert app.missing_reports() == []


def test_recording_the_reports_saves_them_and_re_runs_the_checks(gazetteer, zoning_officer):
    app = application(zoning_officer, proposed_name="育新路")
    checked_at = app.checked_at
    actions.record_reports(application=app, **REPORTS)
    app.refresh_from_db()
    assert app.missing_reports() == [] and app.checked_at > checked_at
    with pytest.raises(TypeError, match="proposed_name"):
        actions.record_reports(application=app, proposed_name="育德路")
