"""Benchmark: a short, bounded load run on loopback against the production stack (``make serve``).

Starts ``scripts/serve.sh`` — gunicorn with ``WEB_CONCURRENCY`` workers (3) of
``GUNICORN_THREADS`` threads (2), whitenoise, DEBUG off, ``CIVATLAS_JOB_WORKERS`` Celery
workers (1) on a queue of their own — on a free loopback port against ``DATABASE_URL``,
and runs locust headless against it (bench/locustfile.py): ``CIVATLAS_LOAD_USERS`` users
(20) spawned at ``CIVATLAS_LOAD_SPAWN_RATE`` a second (5) for ``CIVATLAS_LOAD_SECONDS``
(60). ``CIVATLAS_LOAD_FIELD_USERS`` of them (2) are field workers of 永清镇 posting sign
inspections; the others are map visitors asking for tiles and the name search. What
they ask for is drawn (seeded) from the database first: tiles of the map's layers
around ``CIVATLAS_LOAD_PLACES`` (300) standard names at z5–z12, the query mix of
bench/bench_search.py, and the signs ``qingshui_field`` may inspect, each checked as the
server will check it, so that every submit is a valid record (201). Prints requests,
req/s, p50, p95 and failures per kind of request, the tile cache's hit share and the
server's 5xx count; records the throughput, p95 per kind and the errors (target: none).
The users pause between requests (bench/locustfile.py), so the throughput is what they
ask for, not the server's ceiling: the latencies say whether it keeps up. The stack
(its whole process group) is stopped afterwards.

Field submits write: per submit one SignInspection with a photo (image and thumbnail
under MEDIA_ROOT), the sign's last inspection date, their history rows; per field
worker a login session. The inspections carry ``notes`` = ``NOTE``; the script prints
how many it wrote. Skipped, saying so, without locust (scripts/bench_peers.sh installs
it in var/bench-peers).
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.bench_search import QUERIES, _count, _names, queries  # noqa: E402
from bench.figures import record  # noqa: E402
from bench.server import await_answer, free_port  # noqa: E402
from geoapp.demo_users import DEMO_PASSWORD  # noqa: E402
from geoapp.gis import GEOD  # noqa: E402
from geoapp.photos import jpeg_with_gps, read_photo  # noqa: E402
from geoapp.tiles.cache import lonlat_to_tile_xy  # noqa: E402
from placenames.signs.checks import Submission, check_submission  # noqa: E402
from placenames.signs.models import Sign, SignInspection, SignPhoto, SignStatus  # noqa: E402

LOCUST = Path(os.environ.get("CIVATLAS_LOCUST", ROOT / "var" / "bench-peers" / "bin" / "locust"))
USERS = int(os.environ.get("CIVATLAS_LOAD_USERS", "20"))
SPAWN_RATE = float(os.environ.get("CIVATLAS_LOAD_SPAWN_RATE", "5"))
SECONDS = int(os.environ.get("CIVATLAS_LOAD_SECONDS", "60"))
FIELD_USERS = int(os.environ.get("CIVATLAS_LOAD_FIELD_USERS", "2"))
PLACES = int(os.environ.get("CIVATLAS_LOAD_PLACES", "300"))
FIELD_USER = os.environ.get("CIVATLAS_LOAD_FIELD_USER", "qingshui_field")
NOTE = "负载测试记录（bench/bench_load.py）"
# What the map asks for (tiles/static/tiles/tile_layers.js): the divisions composite at
# every zoom, standard names from z10, facilities from z6; (layer, zooms, weight).
TILE_MIX = (("divisions", range(5, 13), 6), ("names", range(10, 13), 2), ("facilities", range(6, 13), 2))
KINDS = ("tile", "search", "field submit", "field retry")
STATUS = re.compile(r'" (\d{3}) ')  # the status after the request line of gunicorn's access log


def tile_paths(count: int) -> list[str]:
    """One tile of the map's layers at a random zoom around each of ``count`` standard names (seeded)."""
    with connection.cursor() as cursor:
        # A seeded sample without sorting 1.5 million rows: TABLESAMPLE, which the ORM cannot say.
        cursor.execute("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM placenames_placename "
                       "TABLESAMPLE BERNOULLI (%s) REPEATABLE (2026) WHERE status = 'standard' AND geom IS NOT NULL "
                       "LIMIT %s) s", [min(100.0, 100.0 * count * 4 / max(_count(), 1)), count])
        places = cursor.fetchall()
    rng = random.Random(2026)
    paths = []
    for lon, lat in places:
        layer, zooms, _weight = rng.choices(TILE_MIX, weights=[w for *_, w in TILE_MIX])[0]
        z = rng.choice(zooms)
        x, y = (int(v) for v in lonlat_to_tile_xy(lon, lat, z))
        paths.append(f"/tiles/{layer}/{z}/{x}/{y}.mvt")
    return paths


def field_plan(directory: Path) -> dict | None:
    """The field worker's login and the signs they may inspect, each with a position 5 m
    from the sign and a photo taken there; None, saying why, when there is nothing to inspect."""
    user = get_user_model().objects.filter(username=FIELD_USER).first()
    if user is None or not user.has_perm("placenames.add_signinspection"):
        print(f"bench_load: no field submits ({FIELD_USER} is missing or may not record inspections)")
        return None
    signs = []
    # Signs found intact stay "inspected": the run moves only their last inspection date.
    candidates = (Sign.objects.for_user(user).filter(status=SignStatus.INSPECTED, installed_geom__isnull=False)
                  .select_related("place", "division__parent").order_by("pk")[:100])
    for sign in candidates:
        lon, lat, _back = GEOD.fwd(sign.installed_geom.x, sign.installed_geom.y, 45.0, 5.0)
        photo = jpeg_with_gps(lon, lat)
        submission = Submission(kind="inspection", lon=lon, lat=lat, accuracy_m=8, when=timezone.now(),
                                photos=[read_photo(photo, name="sign.jpg")], condition="intact")
        if not check_submission(sign, submission).ok:
            continue
        (directory / f"sign-{sign.pk}.jpg").write_bytes(photo)
        signs.append({"id": sign.pk, "lon": f"{lon:.7f}", "lat": f"{lat:.7f}", "photo": f"sign-{sign.pk}.jpg"})
    if not signs:
        print(f"bench_load: no field submits (no inspected sign in the jurisdiction of {FIELD_USER})")
        return None
    password = os.environ.get("CIVATLAS_LOAD_FIELD_PASSWORD", DEMO_PASSWORD)
    return {"username": FIELD_USER, "password": password, "team": "负载测试组", "notes": NOTE, "signs": signs}


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def production_stack(directory: Path):
    """scripts/serve.sh on a free loopback port, with a Celery queue and log of its own;
    yields its URL; stops its whole process group (bash, gunicorn, Celery) afterwards."""
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port),
           "CIVATLAS_JOB_WORKERS": os.environ.get("CIVATLAS_JOB_WORKERS", "1"),
           "CIVATLAS_JOB_QUEUE": f"civatlas-bench-load-{port}", "CIVATLAS_CELERY_LOG": str(directory / "celery.log")}
    with (directory / "serve.log").open("wb") as log:
        process = subprocess.Popen(["bash", str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        await_answer(process, url + "/tiles/province/0/0/0.mvt", name="scripts/serve.sh", seconds=180,
                     log=lambda: ":\n" + _tail(directory / "serve.log"))
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while _group_alive(process.pid) and time.monotonic() < deadline:
            process.poll()
            time.sleep(0.5)
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text("utf-8", errors="replace").splitlines()[-lines:]) if path.exists() else ""


@dataclass
class Kind:
    """locust's figures for one request name: count, failures, response-time histogram (ms → n)."""

    name: str
    requests: int
    failures: int
    histogram: dict[float, int]
    started: float
    last: float

    def percentile(self, p: float) -> float:
        """Nearest rank over locust's histogram (its times are rounded to 2-3 significant digits)."""
        rank, seen = max(1, math.ceil(p / 100 * sum(self.histogram.values()))), 0
        for ms, count in sorted(self.histogram.items()):
            seen += count
            if seen >= rank:
                return ms
        return 0.0

    @classmethod
    def merged(cls, name: str, kinds: list[Kind]) -> Kind:
        histogram: Counter[float] = Counter()
        for kind in kinds:
            histogram.update(kind.histogram)
        return cls(name, sum(k.requests for k in kinds), sum(k.failures for k in kinds), dict(histogram),
                   min(k.started for k in kinds), max(k.last for k in kinds))


def run_locust(url: str, directory: Path) -> list[Kind]:
    """locust headless against ``url``; its figures per request name.

    The figures come from ``--json-file``, written once every user has stopped (the
    ``--csv`` files are rewritten every second but not at the end: they miss the last
    second's requests); the locustfile adds the failure messages and tile cache answers."""
    env = {**os.environ, "CIVATLAS_LOAD_PLAN": str(directory / "plan.json"),
           "CIVATLAS_LOAD_OUT": str(directory / "extras.json"), "CIVATLAS_LOAD_FIELD_USERS": str(FIELD_USERS)}
    command = [str(LOCUST), "-f", str(HERE / "locustfile.py"), "--headless", "--host", url, "--users", str(USERS),
               "--spawn-rate", str(SPAWN_RATE), "--run-time", f"{SECONDS}s", "--stop-timeout", "10",
               "--json-file", str(directory / "load"), "--only-summary", "--loglevel", "WARNING"]
    with (directory / "locust.log").open("wb") as log:
        # Exit 1 means "some requests failed": the failures are in the figures.
        subprocess.run(command, env=env, cwd=directory, stdout=log, stderr=subprocess.STDOUT, check=False)
    stats = directory / "load.json"
    if not stats.exists():
        raise SystemExit(f"locust wrote no statistics:\n{_tail(directory / 'locust.log')}")
    return [Kind(e["name"], e["num_requests"], e["num_failures"],
                 {float(ms): n for ms, n in e["response_times"].items()}, e["start_time"],
                 e["last_request_timestamp"] or e["start_time"])
            for e in json.loads(stats.read_text("utf-8"))]


def _written() -> tuple[int, int]:
    inspections = SignInspection.objects.filter(notes=NOTE)
    return inspections.count(), SignPhoto.objects.filter(inspection__in=inspections).count()


def _server_errors(directory: Path) -> int:
    return sum(1 for line in (directory / "serve.log").read_text("utf-8", errors="replace").splitlines()
               if (m := STATUS.search(line)) and int(m.group(1)) >= 500)


def report(kinds: list[Kind], directory: Path, url: str, plan: dict, written: tuple[int, int]) -> None:
    field = plan["field"]
    total = Kind.merged("all", kinds)
    span = max(total.last - total.started, 1e-9)
    server_errors = _server_errors(directory)
    print(f"{USERS} users ({FIELD_USERS if field else 0} field workers), spawned {SPAWN_RATE:g}/s, {SECONDS} s, "
          f"loopback {url}, database {connection.settings_dict['NAME']} ({_count():,} names); "
          f"{len(set(plan['tiles']))} distinct tiles, {len(plan['queries'])} queries"
          + (f", {len(field['signs'])} signs" if field else ""))
    print("| request | n | req/s | p50 ms | p95 ms | max ms | failures |")
    print("|---|---|---|---|---|---|---|")
    by_name = {kind.name: kind for kind in kinds}
    order = [*[n for n in KINDS if n in by_name], *sorted(set(by_name) - set(KINDS))]
    for kind in [*(by_name[n] for n in order), total]:
        print(f"| {kind.name} | {kind.requests} | {kind.requests / span:.1f} | {kind.percentile(50):.0f} | "
              f"{kind.percentile(95):.0f} | {max(kind.histogram, default=0):.0f} | {kind.failures} |")
    extras_file = directory / "extras.json"
    extras = json.loads(extras_file.read_text("utf-8")) if extras_file.exists() else {}
    cache = extras.get("tile_cache", {})
    if served := sum(cache.values()):
        print(f"tile cache: {100 * cache.get('hit', 0) / served:.0f} % hits ({cache})")
    print(f"errors: {total.failures} failed requests of {total.requests}; server log: {server_errors} responses ≥ 500")
    for error in extras.get("errors", []):
        print(f"  {error['occurrences']} × {error['name']}: {error['error'][:300]}")
    if field:
        print(f"written by the field submits: {written[0]} sign inspections with {written[1]} photos "
              f"({2 * written[1]} files under MEDIA_ROOT), notes “{NOTE}”")

    record("load", f"throughput ({USERS} users, {SECONDS} s)", total.requests / span, "req/s",
           lower_is_better=False, note=f"{total.requests} requests, loopback, make serve stack")
    for name in KINDS:
        if kind := by_name.get(name):
            record("load", f"{name} p95 under load", kind.percentile(95), "ms",
                   note=f"p50 {kind.percentile(50):.0f} ms, n={kind.requests}")
    record("load", "errors (failed requests)", total.failures, "requests", target=0,
           note=f"of {total.requests}; server 5xx {server_errors}")


def main() -> None:
    if not LOCUST.exists():
        print(f"bench_load: skipped (locust not found at {LOCUST}; scripts/bench_peers.sh installs it)")
        return
    with tempfile.TemporaryDirectory(prefix="civatlas-load-") as tmp:
        directory = Path(tmp)
        plan = {"tiles": tile_paths(PLACES), "queries": [q for items in queries(_names(QUERIES)).values() for q in items],
                "field": field_plan(directory)}
        (directory / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        before = _written()
        with production_stack(directory) as url:
            kinds = run_locust(url, directory)
        after = _written()
        report(kinds, directory, url, plan, (after[0] - before[0], after[1] - before[1]))


if __name__ == "__main__":
    main()
