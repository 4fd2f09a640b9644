"""Demo signs: a plan for every township of 清水县, part of it installed and inspected.

* ``plan_signs`` for each current township of 清水县 (620521): a seat sign and a village
  sign for every village and community (the positions are the synthetic seats of the
  demo divisions), marked ``synthetic``.
* Synthetic field records through the real actions (so every check runs): every seat
  sign and about half of the village signs installed within the last five months by
  two teams per township, a few more than a year ago and never inspected since (they
  show up as inspection reminders), a third of them inspected (mostly intact, a few
  damaged or missing). Each record has a generated photo (a blue plate, no real
  picture) with EXIF GPS, and is marked ``synthetic``.

Idempotent and deterministic: which signs get records, where and by which team follows
from a seeded generator per place; records are keyed by a UUID derived from the place
code, so a second run finds them and changes nothing. Dates count back from the day of
the first run, so the weekly chart of the dashboard has data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone

from boundaries.codes import Level
from boundaries.models import Division, Source
from geoapp.gis import GEOD
from placenames.signs.actions import SignError, record_inspection, record_installation
from placenames.signs.models import Condition, Sign, SignInspection, SignInstallation, SignStatus, SignType
from placenames.signs.photos import jpeg_with_gps, read_photo
from placenames.signs.plans import plan_signs

DEMO_COUNTY = "620521000000"  # 清水县
NAMESPACE = uuid.UUID("5b0c6f1e-2f3a-4c55-9d1e-620521000000")
TEAM_SUFFIXES = ("外业一组", "外业二组")


@dataclass
class SignDemoReport:
    planned: int = 0
    installations: int = 0
    inspections: int = 0
    unchanged: int = 0
    refused: int = 0

    def summary(self) -> str:
        text = (f"地名标志：新规划 {self.planned}，新设置记录 {self.installations}，新巡检记录 {self.inspections}，"
                f"已有记录 {self.unchanged}")
        return text + (f"，未通过检查 {self.refused}" if self.refused else "")


def _client_id(kind: str, sign: Sign) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{sign.place.code or sign.place_id}:{sign.sign_type}")


def _stem(name: str) -> str:
    for suffix in ("街道办事处", "街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _offset(point, rng: random.Random, max_m: float):
    lon, lat, _back = GEOD.fwd(point.x, point.y, rng.uniform(0, 360), rng.uniform(2, max_m))
    return round(lon, 7), round(lat, 7)


def load_demo_signs(*, now: dt.datetime | None = None, progress=None) -> SignDemoReport:
    """Create the demo plan and records (idempotent)."""
    now = now or timezone.now()
    report = SignDemoReport()
    townships = Division.objects.current().at_level(Level.TOWNSHIP).within(DEMO_COUNTY).order_by("code")
    for township in townships:
        plan = plan_signs(township=township, created_by=None, dry_run=False, source=Source.SYNTHETIC)
        report.planned += len(plan.saved)
        signs = Sign.objects.filter(division__code__startswith=township.code[:9]).select_related("place", "division")
        for sign in signs.order_by("pk"):
            _records(sign, township, now, report)
        if progress:
            progress(f"{township.name}：{report.summary()}")
    return report


def _records(sign: Sign, township: Division, now: dt.datetime, report: SignDemoReport) -> None:
    # Every random draw happens up front, in a fixed order, whatever is already stored:
    # the choices for a place never depend on what an earlier run did.
    rng = random.Random(f"sign-demo:{sign.place.code or sign.place_id}:{sign.sign_type}")
    install = sign.sign_type == SignType.SEAT or rng.random() < 0.5
    team = _stem(township.name) + rng.choice(TEAM_SUFFIXES)
    old = rng.random() < 0.12
    days_ago = rng.randint(380, 720) if old else rng.randint(2, 150)
    minutes = rng.randint(0, 8 * 60)
    install_at = _offset(sign.planned_geom, rng, 15)
    install_accuracy = round(rng.uniform(3, 18), 1)
    inspect = not old and rng.random() < 0.35
    roll = rng.random()
    condition = Condition.DAMAGED if roll < 0.12 else Condition.MISSING if roll < 0.18 else Condition.INTACT
    inspect_after = rng.random()
    inspect_shift = (rng.uniform(0, 360), rng.uniform(2, 10))
    inspect_accuracy = round(rng.uniform(3, 15), 1)
    if not install:
        return

    client_id = _client_id("installation", sign)
    if existing := SignInstallation.objects.filter(client_id=client_id).first():
        report.unchanged += 1
        installed_at = existing.installed_at  # dates count from the first run
    else:
        installed_at = now - dt.timedelta(days=days_ago, minutes=minutes)
        lon, lat = install_at
        photo = read_photo(jpeg_with_gps(lon, lat, size=(480, 300), taken=installed_at), name="demo.jpg")
        try:
            _record, created = record_installation(
                sign=sign, client_id=client_id, lon=lon, lat=lat, accuracy_m=install_accuracy,
                installed_at=installed_at, text_cn=sign.text_cn, text_pinyin=sign.text_pinyin, photos=[photo],
                team=team, notes="演示用合成记录", source=Source.SYNTHETIC,
            )
        except SignError:
            report.refused += 1
            return
        report.installations += int(created)
    if not inspect:
        return
    client_id = _client_id("inspection", sign)
    if SignInspection.objects.filter(client_id=client_id).exists():
        report.unchanged += 1
        return
    sign.refresh_from_db()
    if sign.status not in (SignStatus.INSTALLED, SignStatus.INSPECTED):
        return
    span = max(1.0, (now - installed_at).total_seconds() - 3600)
    inspected_at = installed_at + dt.timedelta(seconds=span * (0.3 + 0.7 * inspect_after))
    lon, lat, _back = GEOD.fwd(sign.installed_geom.x, sign.installed_geom.y, *inspect_shift)
    lon, lat = round(lon, 7), round(lat, 7)
    photo = read_photo(jpeg_with_gps(lon, lat, size=(480, 300), taken=inspected_at), name="demo.jpg")
    intact = condition == Condition.INTACT
    try:
        _record, created = record_inspection(
            sign=sign, client_id=client_id, lon=lon, lat=lat, accuracy_m=inspect_accuracy,
            inspected_at=inspected_at, condition=condition, photos=[photo],
            text_cn=sign.text_cn if intact else "", text_pinyin=sign.text_pinyin if intact else "",
            team=team, notes="演示用合成记录", source=Source.SYNTHETIC,
        )
    except SignError:
        report.refused += 1
        return
    report.inspections += int(created)
