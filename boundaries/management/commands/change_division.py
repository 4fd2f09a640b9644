"""manage.py change_division KIND … : propose a division change (区划调整), approve it, reverse it.

  change_division merge --codes 620521101,620521102 --code 620521101 --name 新镇 …
  change_division split --division 620521105 --cut "105.9,34.7;106.0,34.8" \
      --part 620521105:山门镇:105.95,34.76 --part 620521498:山门新区:105.97,34.72 …
  change_division rename --division 620521100 [--name 新名] [--code 620521150] …
  change_division move-seat --division 620521100 --seat 106.05,34.75 …

  change_division approve --change 12 --user OTHER_OFFICER
  change_division reject --change 12 --user OTHER_OFFICER --note 理由
  change_division reverse --change 12 --document … --effective … --user …

Every proposal needs --document (批准文件), --effective YYYY-MM-DD and --user (who proposes
it, checked against their role and jurisdiction); --body names the approving authority
(required for township level and above). A proposal is applied only when another
officer approves it (four eyes): ``--approve-by OTHER`` does that in the same call.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from boundaries import division_changes
from boundaries.edit_geometry import EditRefused
from boundaries.models import Division, DivisionChange
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import normalise_code


def _lonlat(text: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise CommandError(f"坐标应为 经度,纬度：{text}") from exc
    return lon, lat


def _division(code: str) -> Division:
    try:
        return Division.objects.current().get(code=normalise_code(code))
    except (ValueError, Division.DoesNotExist) as exc:
        raise CommandError(f"没有现行区划 {code}") from exc


class Command(BaseCommand):
    help = "登记区划调整（合并、分设、更名/代码变更、驻地迁移），旧区划终止不删除。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=("merge", "split", "rename", "move-seat", "approve", "reject", "reverse"))
        parser.add_argument("--document", default="", help="approval document, e.g. 甘政函〔2026〕12号")
        parser.add_argument("--effective", default="", help="effective date YYYY-MM-DD")
        parser.add_argument("--user", required=True, help="username of the officer proposing (or deciding)")
        parser.add_argument("--approve-by", default="", help="username of a second officer who approves at once")
        parser.add_argument("--change", type=int, help="approve/reject/reverse: the change's number")
        parser.add_argument("--note", default="", help="reject: the reason; otherwise a note")
        parser.add_argument("--body", default="", help="approving authority, e.g. 甘肃省人民政府")
        parser.add_argument("--codes", help="merge: comma-separated codes of the divisions to merge")
        parser.add_argument("--division", help="split/rename/move-seat: the division's code")
        parser.add_argument("--code", default="", help="merge/rename: the new code")
        parser.add_argument("--name", default="", help="merge/rename: the new name")
        parser.add_argument("--cut", help="split: the cut line as lon,lat;lon,lat;…")
        parser.add_argument("--part", action="append", default=[], help="split: CODE:NAME:lon,lat (twice)")
        parser.add_argument("--seat", help="move-seat (or merge): lon,lat")

    def handle(self, *args, **opts):
        user = self._user(opts["user"])
        try:
            change = self._decide(opts, user) if opts["kind"] in ("approve", "reject", "reverse") else None
            if change is None:
                try:
                    effective = dt.date.fromisoformat(opts["effective"])
                except ValueError as exc:
                    raise CommandError("--effective 应为 YYYY-MM-DD") from exc
                common = {"approval_document": opts["document"], "effective_date": effective, "proposed_by": user,
                          "approved_by_body": opts["body"], "note": opts["note"]}
                change = self._run(opts, common)
            if opts["approve_by"] and change.is_pending:
                change = division_changes.approve_division_change(change=change, approved_by=self._user(opts["approve_by"]))
        except (EditRefused, PermissionDenied) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        created = "、".join(f"{d.name}（{d.code}）" for d in change.created.all()) or "—"
        retired = "、".join(f"{d.name}（{d.code}）" for d in change.retired.all()) or "—"
        self.stdout.write(f"#{change.pk} {change}：{change.get_status_display()}；撤销 {retired}；新设 {created}")

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"没有用户 {username}") from exc

    def _decide(self, opts, user):
        try:
            change = DivisionChange.objects.get(pk=opts["change"])
        except DivisionChange.DoesNotExist as exc:
            raise CommandError(f"没有区划调整 #{opts['change']}") from exc
        if opts["kind"] == "approve":
            return division_changes.approve_division_change(change=change, approved_by=user)
        if opts["kind"] == "reject":
            return division_changes.reject_division_change(change=change, rejected_by=user, note=opts["note"])
        try:
            effective = dt.date.fromisoformat(opts["effective"])
        except ValueError as exc:
            raise CommandError("--effective 应为 YYYY-MM-DD") from exc
        return division_changes.propose_reversal(change=change, proposed_by=user, approval_document=opts["document"],
                                                 effective_date=effective, note=opts["note"])

    def _run(self, opts, common):
        kind = opts["kind"]
        if kind == "merge":
            if not opts["codes"] or not opts["code"] or not opts["name"]:
                raise CommandError("merge 需要 --codes、--code 和 --name")
            seat = Point(*_lonlat(opts["seat"]), srid=CGCS2000) if opts["seat"] else None
            return division_changes.propose_merge(
                divisions=[_division(c) for c in opts["codes"].split(",")], code=opts["code"], name=opts["name"],
                seat=seat, **common)
        division = _division(opts["division"] or "")
        if kind == "split":
            if not opts["cut"] or len(opts["part"]) != 2:
                raise CommandError("split 需要 --cut 和两个 --part")
            parts = []
            for text in opts["part"]:
                try:
                    code, name, where = text.split(":")
                except ValueError as exc:
                    raise CommandError(f"--part 应为 代码:名称:经度,纬度：{text}") from exc
                parts.append({"code": code, "name": name, "point": _lonlat(where)})
            cut = [_lonlat(p) for p in opts["cut"].split(";")]
            return division_changes.propose_split(division=division, cut=cut, parts=parts, **common)
        if kind == "rename":
            return division_changes.propose_rename(division=division, name=opts["name"], code=opts["code"], **common)
        if not opts["seat"]:
            raise CommandError("move-seat 需要 --seat")
        return division_changes.propose_seat_move(division=division, seat=Point(*_lonlat(opts["seat"]), srid=CGCS2000),
                                                  **common)
