"""The one register (区划地名一本账): how a division change reaches every app that
depends on divisions, and the consistency check over all of them.

Imports flow one way, ``geoapp`` ← ``boundaries`` ← ``placenames``, ``facilities``
(DESIGN.md), yet a division change must update the gazetteer, the signs and the
facilities in the same transaction as the divisions. So each app registers, from its
``AppConfig.ready()``:

* a *follower*: ``follower(context)`` is called by ``boundaries.division_changes``
  inside the change's atomic action, explicitly and in registration order (not a
  signal: an exception in a follower rolls the whole change back, and the trial run of
  a proposal calls the very same code);
* *checks*: ``check(within)`` returns ``Problem`` rows for ``check_register``.

docs/adr/0012-one-register.md records the choice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ChangeContext:
    """What an applied change did to the divisions, for the followers.

    ``successors`` maps the id of every retired division (the units named in the change
    and their children re-created under a new code) to the division(s) that took its
    place; ``continuing`` maps those whose identity goes on (a rename, a re-code, a
    child re-coded, the unit of a merge that keeps its name or code) to that one row.
    A retired unit with successors but no continuation was abolished (撤销).
    """

    change: object  # DivisionChange
    on: dt.date
    why: str
    retired: dict[int, object] = field(default_factory=dict)  # id → retired Division
    successors: dict[int, list] = field(default_factory=dict)
    continuing: dict[int, object] = field(default_factory=dict)
    created: list = field(default_factory=list)  # every new Division row, children included
    reversed_change: object | None = None
    moved_seats: list = field(default_factory=list)  # divisions whose seat moved (驻地迁移), same row
    report: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def note(self, section: str, text: str) -> None:
        self.report.setdefault(section, []).append(text)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def successor_of(self, division_id: int, point=None):
        """The division now holding what was in ``division_id``: the only successor, or the
        one whose polygon covers ``point`` (a split), else the first."""
        options = self.successors.get(division_id, [])
        if not options:
            return None
        if len(options) > 1 and point is not None:
            for option in options:
                if option.geom is not None and option.geom.covers(point):
                    return option
        return options[0]

    @property
    def marker(self) -> str:
        """Written into notes of rows a change touched, so a reversal can find them."""
        return f"区划调整 #{self.change.pk}"


@dataclass
class Problem:
    """One disagreement in the register, for the officer: where and what."""

    check: str
    code: str
    message: str
    lon: float | None = None
    lat: float | None = None
    severity: str = "error"  # "note": said, not a failure (e.g. a parent held only in part)

    def as_dict(self) -> dict:
        return {"check": self.check, "code": self.code, "message": self.message, "severity": self.severity,
                "location": [self.lon, self.lat] if self.lon is not None else None}


Follower = Callable[[ChangeContext], None]
Check = Callable[[str], list[Problem]]

_FOLLOWERS: list[tuple[str, Follower]] = []
_CHECKS: list[tuple[str, str, Check]] = []


def register_follower(name: str, follower: Follower) -> None:
    """Called from an app's ``ready()``; registering the same name twice replaces it."""
    _FOLLOWERS[:] = [(n, f) for n, f in _FOLLOWERS if n != name] + [(name, follower)]


def register_check(name: str, label: str, check: Check) -> None:
    _CHECKS[:] = [(n, lb, c) for n, lb, c in _CHECKS if n != name] + [(name, label, check)]


def followers() -> list[tuple[str, Follower]]:
    return list(_FOLLOWERS)


def checks() -> list[tuple[str, str, Check]]:
    return list(_CHECKS)


@dataclass
class RegisterReport:
    within: str
    sections: list[tuple[str, str, list[Problem]]] = field(default_factory=list)  # (name, label, problems)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problems(self) -> list[Problem]:
        return [p for _, _, problems in self.sections for p in problems if p.severity == "error"]

    @property
    def notes(self) -> list[Problem]:
        return [p for _, _, problems in self.sections for p in problems if p.severity != "error"]

    def as_dict(self) -> dict:
        return {
            "within": self.within, "ok": self.ok, "seconds": round(self.seconds, 3),
            "checks": [{"check": n, "label": lb, "ok": not [p for p in ps if p.severity == "error"],
                        "problems": [p.as_dict() for p in ps]} for n, lb, ps in self.sections],
        }

    def summary(self) -> str:
        lines = [f"区划地名一致性检查（{self.within or '全部'}）：{len(self.problems)} 处问题，用时 {self.seconds:.1f} 秒"]
        for _, label, found in self.sections:
            problems = [p for p in found if p.severity == "error"]
            lines.append(f"  {'✓' if not problems else '✗'} {label}：{'通过' if not problems else f'{len(problems)} 处问题'}")
            for p in problems[:50]:
                lines.append(f"      {p.code} {p.message}")
            if len(problems) > 50:
                lines.append(f"      …另有 {len(problems) - 50} 处")
            for p in found:
                if p.severity != "error":
                    lines.append(f"      说明：{p.code} {p.message}")
        return "\n".join(lines)


def check_register(within: str = "") -> RegisterReport:
    """Run every registered check inside the code prefix ``within`` ('' = everything)."""
    import time

    started = time.perf_counter()
    report = RegisterReport(within=within)
    for name, label, check in _CHECKS:
        report.sections.append((name, label, check(within)))
    report.seconds = time.perf_counter() - started
    return report
