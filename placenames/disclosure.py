"""What the name-check API may tell whom.

``check_name`` compares a proposal with standard *and* proposed names; a proposed name
belongs to an application still in the workflow, which is not public. The API passes
its result through ``redact_check_result``: a conflict with a standard name is shown
to everyone (the portal shows those names anyway); a conflict with a non-public name
is shown in full only to a user who may view naming applications there (role
permission and jurisdiction). Everyone else learns that a conflict with a non-public
application exists, with its rule and severity, but not its name, code or place.
"""

from __future__ import annotations

from placenames.models import NameStatus, PlaceName

HIDDEN = {"name": "", "code": "", "division": "", "division_code": "", "id": None, "non_public": True}


def may_see(user, division_code: str) -> bool:
    return user.has_perm("placenames.view_namingapplication") and user.can_act_on(division_code)


def redact_check_result(result: dict, *, user) -> dict:
    """A copy of ``CheckResult.to_dict()`` with what ``user`` may not see removed."""
    ids = {c.get("id") for p in result["problems"] for c in p.get("conflicts", []) if c.get("id")}
    places = {p.pk: p for p in PlaceName.objects.filter(pk__in=ids).select_related("division")}
    problems = []
    for problem in result["problems"]:
        shown, hidden = [], 0
        for conflict in problem.get("conflicts", []):
            place = places.get(conflict.get("id"))
            public = place is not None and place.status == NameStatus.STANDARD
            if public or (place is not None and place.division_id and may_see(user, place.division.code)):
                shown.append(conflict)
            else:
                hidden += 1
        if not hidden:
            problems.append(problem)
            continue
        names = "、".join(f"{c['division']}{c['name']}" for c in shown[:5])
        message = f"与 {hidden} 个未公开的命名申请冲突（内容不公开）"
        if names:
            message += f"；另与已公开地名冲突：{names}"
        problems.append({**problem, "message": f"{message}（规则：{problem['rule']}）",
                         "conflicts": [*shown, *([dict(HIDDEN)] * hidden)]})
    return {**result, "problems": problems}
