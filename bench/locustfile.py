"""The users of the load run (bench/bench_load.py), for locust in its own venv.

Two kinds of user, as the platform has them:

* map visitors: vector tiles of the layers the map draws (the divisions composite,
  standard names, facilities) around populated places at z5–z12, and the public name
  search, one request every 0.1–0.5 s;
* field workers of 永清镇 (``CIVATLAS_LOAD_FIELD_USERS`` of them, 2 by default): logged in
  once through the login form (session and CSRF cookie, as the phone page is), then a
  sign inspection every 1–3 s — multipart with a photo carrying EXIF GPS, 5 m from the
  sign — and now and then the same record again under its ``client_id``, as a phone
  resends after a lost answer (200, stored once).

What to request comes from the plan JSON bench_load.py writes from the database
(``CIVATLAS_LOAD_PLAN``): locust runs in var/bench-peers without Django. Any status but
the expected one is a failure; the failure messages and the tiles' ``X-Tile-Cache``
answers go to ``CIVATLAS_LOAD_OUT`` when locust quits.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

from locust import FastHttpUser, HttpUser, between, events, task

PLAN_PATH = Path(os.environ["CIVATLAS_LOAD_PLAN"])
PLAN = json.loads(PLAN_PATH.read_text("utf-8"))
FIELD = PLAN.get("field")
TILE_CACHE: Counter[str] = Counter()
_worker_numbers = itertools.count()


class MapVisitor(FastHttpUser):
    weight = 1
    wait_time = between(0.1, 0.5)

    @task(3)
    def tile(self):
        with self.client.get(random.choice(PLAN["tiles"]), name="tile", headers={"Accept-Encoding": "gzip"},
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            TILE_CACHE[response.headers.get("X-Tile-Cache", "none")] += 1
            response.success()

    @task(1)
    def search(self):
        query = urllib.parse.urlencode({"q": random.choice(PLAN["queries"])})
        with self.client.get(f"/api/placenames/search?{query}", name="search", headers={"Accept-Encoding": "gzip"},
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class FieldWorker(HttpUser):
    abstract = not FIELD  # no inspectable sign in the user's jurisdiction: visitors only
    fixed_count = int(os.environ.get("CIVATLAS_LOAD_FIELD_USERS", "2"))
    wait_time = between(1, 3)

    def on_start(self):
        self.client.get("/accounts/login/", name="login form")
        form = {"username": FIELD["username"], "password": FIELD["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), "next": "/field/"}
        with self.client.post("/accounts/login/", data=form, name="login", catch_response=True) as response:
            if "sessionid" not in self.client.cookies or response.url.endswith("/accounts/login/"):
                response.failure(f"login refused (HTTP {response.status_code})")
        # Each worker takes every n-th sign, so two workers never wait on one sign's row lock.
        number, count = next(_worker_numbers), max(1, self.fixed_count)
        self.signs = itertools.cycle(FIELD["signs"][number % count::count] or FIELD["signs"])
        self.last: dict | None = None

    @task
    def inspect(self):
        if self.last is not None and random.random() < 0.2:
            self._post(self.last, name="field retry", expected=200)
            self.last = None
            return
        record = {"sign": next(self.signs), "client_id": str(uuid.uuid4()),
                  "inspected_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()}
        self._post(record, name="field submit", expected=201)
        self.last = record

    def _post(self, record: dict, *, name: str, expected: int) -> None:
        sign = record["sign"]
        data = {"client_id": record["client_id"], "lon": sign["lon"], "lat": sign["lat"], "accuracy_m": "8",
                "inspected_at": record["inspected_at"], "condition": "intact", "team": FIELD["team"],
                "notes": FIELD["notes"]}
        photo = (PLAN_PATH.parent / sign["photo"]).read_bytes()
        # A phone posts minutes after its last request, long after gunicorn dropped the idle
        # connection (2 s): each post opens its own, and never races a closing keep-alive one.
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Connection": "close"}
        with self.client.post(f"/api/signs/{sign['id']}/inspections/", data=data,
                              files={"photo": ("sign.jpg", photo, "image/jpeg")}, headers=headers, name=name,
                              catch_response=True) as response:
            if response.status_code != expected:
                response.failure(f"HTTP {response.status_code}: {response.text[:300]}")


@events.quitting.add_listener
def _write_extras(environment, **_kwargs):
    """What locust's JSON statistics leave out: the failure messages and the tile cache's answers."""
    if out := os.environ.get("CIVATLAS_LOAD_OUT"):
        errors = [{"name": e["name"], "error": e["error"], "occurrences": e["occurrences"]}
                  for e in environment.stats.serialize_errors().values()]
        Path(out).write_text(json.dumps({"tile_cache": TILE_CACHE, "errors": errors}, ensure_ascii=False),
                             encoding="utf-8")
