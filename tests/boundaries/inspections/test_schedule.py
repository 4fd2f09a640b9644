"""The joint-inspection schedule: due dates five years after the last filed regular
inspection, never-inspected lines, overdue and due-this-year lists, the share inspected
within the cycle, and ``manage.py inspection_schedule``."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from boundaries.inspections import actions
from boundaries.inspections.models import InspectionKind
from boundaries.inspections.schedule import (
    CURRENT,
    DUE_THIS_YEAR,
    NEVER,
    OVERDUE,
    add_years,
    build_schedule,
    lines_touching,
)
from tests.boundaries.inspections.conftest import MAIJI, QINAN, QINGSHUI, county_line

ZHANGJIACHUAN = "620525000000"
TODAY = dt.date(2026, 6, 15)


def _filed(line, officer_a, officer_b, *, inspected_on, kind=InspectionKind.REGULAR, reason=""):
    inspection = actions.plan_inspection(
        line=line, round_year=inspected_on.year, planned_start=inspected_on, planned_end=inspected_on,
        created_by=officer_a, kind=kind, special_reason=reason,
    )
    actions.start_fieldwork(inspection=inspection, by=officer_a)
    actions.draft_report(inspection=inspection, by=officer_a, summary="", inspected_on=inspected_on)
    actions.sign_inspection(inspection=inspection, user=officer_a)
    actions.sign_inspection(inspection=inspection, user=officer_b)
    return actions.file_inspection(inspection=inspection, by=officer_a, filed_on=inspected_on)


@pytest.fixture
def officers(db):
    from geoapp.actions import set_up_user
    from geoapp.roles import Role

    return {code: set_up_user(username=f"zoning_{code[:6]}", role=Role.ZONING, jurisdiction=code)
            for code in (QINGSHUI, QINAN, MAIJI, ZHANGJIACHUAN)}


@pytest.fixture
def history(county_lines, officers):
    """清水|秦安 filed 2021-12-20 (due 2026-12-20: this year); 麦积|清水 filed 2019-10-10
    (due 2024: overdue); 清水|张家川 filed 2023-03-01 (current) plus a special inspection in 2025."""
    qs = officers[QINGSHUI]
    _filed(county_line(QINGSHUI, QINAN), qs, officers[QINAN], inspected_on=dt.date(2021, 12, 20))
    _filed(county_line(QINGSHUI, MAIJI), qs, officers[MAIJI], inspected_on=dt.date(2019, 10, 10))
    _filed(county_line(QINGSHUI, ZHANGJIACHUAN), qs, officers[ZHANGJIACHUAN], inspected_on=dt.date(2023, 3, 1))
    # A later special inspection of a stretch does not restart the five-year cycle.
    _filed(county_line(QINGSHUI, MAIJI), qs, officers[MAIJI], inspected_on=dt.date(2025, 8, 1),
           kind=InspectionKind.SPECIAL, reason="暴雨后河道改道")


def _by_pair(schedule):
    return {(r.line.left.code, r.line.right.code if r.line.right_id else None): r for r in schedule.rows}


def test_each_line_is_due_five_years_after_its_last_filed_regular_inspection(history):
    rows = _by_pair(build_schedule(lines_touching(QINGSHUI).filter(level="county"), today=TODAY))
    assert rows[(QINGSHUI, QINAN)].due == dt.date(2026, 12, 20)
    assert rows[(QINGSHUI, QINAN)].status == DUE_THIS_YEAR
    assert rows[(MAIJI, QINGSHUI)].last_inspected == dt.date(2019, 10, 10)  # the special one does not count
    assert rows[(MAIJI, QINGSHUI)].due == dt.date(2024, 10, 10)
    assert rows[(MAIJI, QINGSHUI)].status == OVERDUE
    assert rows[(QINGSHUI, ZHANGJIACHUAN)].status == CURRENT
    assert rows[(QINGSHUI, None)].status == NEVER and rows[(QINGSHUI, None)].due is None


def test_overdue_and_due_this_year_lists_per_jurisdiction(history):
    schedule = build_schedule(lines_touching(QINGSHUI).filter(level="county"), today=TODAY)
    assert {(r.line.left.code, r.line.right_id and r.line.right.code) for r in schedule.overdue} == {
        (MAIJI, QINGSHUI), (QINGSHUI, None)}
    assert [r.line.right.code for r in schedule.due_this_year] == [QINAN]
    # Seen from 秦安县, only its own lines: the one with 清水县 is due, the others never inspected.
    qinan = build_schedule(lines_touching(QINAN).filter(level="county"), today=TODAY)
    assert all(QINAN in (r.line.left.code, r.line.right_id and r.line.right.code) for r in qinan.rows)
    assert {r.status for r in qinan.rows if r.line.left.code != QINGSHUI} == {NEVER}


def test_share_inspected_within_the_cycle_counts_lines_and_length(history):
    schedule = build_schedule(lines_touching(QINGSHUI).filter(level="county"), today=TODAY)
    within = [r for r in schedule.rows if r.status in (CURRENT, DUE_THIS_YEAR)]
    assert len(schedule.rows) == 4 and len(within) == 2
    assert schedule.share_within_cycle == pytest.approx(0.5)
    total = sum(r.line.length_km for r in schedule.rows)
    assert schedule.share_within_cycle_by_length == pytest.approx(sum(r.line.length_km for r in within) / total)


def test_a_due_date_passes_into_overdue_on_the_day_after(history):
    line = county_line(QINGSHUI, QINAN)
    lines = lines_touching(QINGSHUI).filter(pk=line.pk)
    assert build_schedule(lines, today=dt.date(2026, 12, 20)).rows[0].status == DUE_THIS_YEAR
    assert build_schedule(lines, today=dt.date(2026, 12, 21)).rows[0].status == OVERDUE
    assert build_schedule(lines, today=dt.date(2025, 12, 31)).rows[0].status == CURRENT


def test_a_leap_day_inspection_falls_due_on_28_february():
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)


def test_the_command_prints_the_same_schedule(history):
    out = StringIO()
    call_command("inspection_schedule", "--within", "620521", "--level", "county", "--on", "2026-06-15", stdout=out)
    text = out.getvalue()
    assert "麦积区 — 清水县" in text and "2024-10-10" in text and "已逾期" in text
    assert "2026-12-20" in text and "本年度到期" in text
    assert "从未联检" in text and "周期内已检 50%" in text
    only = StringIO()
    call_command("inspection_schedule", "--within", "620521", "--level", "county", "--on", "2026-06-15",
                 "--only", "due", stdout=only)
    assert "清水县 — 秦安县" in only.getvalue() and "麦积区 — 清水县" not in only.getvalue()


def test_the_schedule_page_lists_overdue_lines_for_a_zoning_officer(client, history, officers):
    client.force_login(officers[QINGSHUI])
    response = client.get("/boundaries/inspections/?level=county&only=overdue")
    assert response.status_code == 200
    rows = [r for r in response.context["rows"]]
    assert {r.line.left.code for r in rows} == {MAIJI, QINGSHUI}
    assert "schedule" in response.content.decode() and "已逾期" in response.content.decode()
