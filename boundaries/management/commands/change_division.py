"""manage.py change_division KIND … : record a division change (区划调整) through its action.

  change_division merge --codes 620521101,620521102 --code 620521101 --name 新镇 …
  change_division split --division 620521105 --cut "105.9,34.7;106.0,34.8" \
      --part 620521105:山门镇:105.95,34.76 --part 620521498:山门新区:105.97,34.72 …
  change_division rename --division 620521100 [--name 新名] [--code 620521150] …
  change_division move-seat --division 620521100 --seat 106.05,34.75 …

Every kind needs --document (批准文件), --effective YYYY-MM-DD and --user (who records it,
checked against their role and jurisdiction); --body names the approving authority.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from boundaries import division_changes
from boundaries.edit_geometry import EditRefused
from boundaries.models import Division
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
        parser.add_argument("kind", choices=("merge", "split", "rename", "move-seat"))
        parser.add_argument("--document", required=True, help="approval document, e.g. 甘政函〔2026〕12号")
        parser.add_argument("--effective", required=True, help="effective date YYYY-MM-DD")
        parser.add_argument("--user", required=True, help="username of the officer recording it")
        parser.add_argument("--body", default="", help="approving authority, e.g. 甘肃省人民政府")
        parser.add_argument("--codes", help="merge: comma-separated codes of the divisions to merge")
        parser.add_argument("--division", help="split/rename/move-seat: the division's code")
        parser.add_argument("--code", default="", help="merge/rename: the new code")
        parser.add_argument("--name", default="", help="merge/rename: the new name")
        parser.add_argument("--cut", help="split: the cut line as lon,lat;lon,lat;…")
        parser.add_argument("--part", action="append", default=[], help="split: CODE:NAME:lon,lat (twice)")
        parser.add_argument("--seat", help="move-seat (or merge): lon,lat")

    def handle(self, *args, **opts):
        try:
            effective = dt.date.fromisoformat(opts["effective"])
            user = get_user_model().objects.get(username=opts["user"])
        except ValueError as exc:
            raise CommandError("--effective 应为 YYYY-MM-DD") from exc
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"没有用户 {opts['user']}") from exc
        common = {"approval_document": opts["document"], "effective_date": effective, "recorded_by": user,
                  "approved_by_body": opts["body"]}
        try:
            change = self._run(opts, common)
        except (EditRefused, PermissionDenied) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        created = "、".join(f"{d.name}（{d.code}）" for d in change.created.all()) or "—"
        retired = "、".join(f"{d.name}（{d.code}）" for d in change.retired.all()) or "—"
        self.stdout.write(f"{change}：撤销 {retired}；新设 {created}")

    def _run(self, opts, common):
        kind = opts["kind"]
        if kind == "merge":
            if not opts["codes"] or not opts["code"] or not opts["name"]:
                raise CommandError("merge 需要 --codes、--code 和 --name")
            seat = Point(*_lonlat(opts["seat"]), srid=CGCS2000) if opts["seat"] else None
            return division_changes.merge_divisions(
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
            return division_changes.split_division(division=division, cut=cut, parts=parts, **common)
        if kind == "rename":
            return division_changes.rename_division(division=division, name=opts["name"], code=opts["code"], **common)
        if not opts["seat"]:
            raise CommandError("move-seat 需要 --seat")
        return division_changes.move_seat(division=division, seat=Point(*_lonlat(opts["seat"]), srid=CGCS2000), **common)
