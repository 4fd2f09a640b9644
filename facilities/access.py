"""Who may do what with facilities: the permissions its pages and APIs require, and the
division checks that come after them.

* Registry: every role may view (geoapp.roles); ``facilities.change_facility`` (planners
  and administrators) adds and changes facilities, inside their jurisdiction only.
* Gap analysis, site suggestions, scenarios and reports: ``facilities.analyse_facility``
  (planners, zoning officers and administrators, the people who plan services and
  divisions), inside their jurisdiction. Field workers and viewers read the map, not
  the analysis.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ANALYSE = "facilities.analyse_facility"
EDIT = "facilities.change_facility"

ANALYSIS_REFUSED = _("缺口分析仅限规划人员、区划地名工作人员和管理员使用")
EDIT_REFUSED = _("您没有登记民政设施的权限")


def may_analyse_in(user, code: str) -> bool:
    """Whether ``user`` may run gap analyses and site suggestions for the division ``code``."""
    return user.has_perm(ANALYSE) and user.can_act_on(code)


def may_edit_in(user, code: str) -> bool:
    """Whether ``user`` may register or change facilities in the division ``code``."""
    return user.is_authenticated and user.has_perm(EDIT) and user.can_act_on(code)
