"""Benchmark: time to network idle of the map workspace (``/``) and the facility gap page in Chromium.

Starts ``manage.py runserver`` (no reloader, DEBUG as configured) on a port of its own
against ``DATABASE_URL``, logs in as the demo planner of 清水县 through the login form,
then loads each page N times in a fresh tab and records the time from ``goto`` until
Playwright's ``networkidle`` (no request for 500 ms; the 500 ms are *not* subtracted,
so the figures are comparable between runs, not absolute paint times). Prints median,
min and max, and the requests and bytes the page fetched (from the Resource Timing API:
independent of the machine's load, which on a shared 2-core machine moves the times a
lot). Nothing is asserted.

    DATABASE_URL=postgresql:///civatlas python bench/bench_pages_browser.py [--runs 7] [--port 8714]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CIVATLAS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = {
    "/ (anonymous)": ("/", False),
    "/ (planner)": ("/", True),
    "gap page (planner)": ("/facilities/gaps/?division=620521000000&kind=child_protection_station", True),
}


def wait_for_server(base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2)  # noqa: S310 (loopback only)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"runserver did not answer at {base}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--port", type=int, default=8714)
    parser.add_argument("--user", default="qingshui_planner")
    parser.add_argument("--password", default="civatlas-demo")
    options = parser.parse_args()
    base = f"http://127.0.0.1:{options.port}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{options.port}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_server(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            anonymous = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            staff = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            login = staff.new_page()
            login.goto(base + "/accounts/login/")
            login.fill("input[name=username]", options.user)
            login.fill("input[name=password]", options.password)
            login.click(".login-card button[type=submit]")
            login.wait_for_load_state("networkidle")
            if "/accounts/login/" in login.url:
                raise SystemExit(f"login as {options.user} failed")
            login.close()
            print(f"time to network idle, Chromium headless 1440x900, {options.runs} runs after 1 warm-up")
            for label, (path, logged_in) in PAGES.items():
                context = staff if logged_in else anonymous
                samples, fetched = [], None
                for run in range(options.runs + 1):
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(base + path, wait_until="networkidle", timeout=60_000)
                    elapsed = (time.perf_counter() - start) * 1000
                    fetched = page.evaluate("""() => {
                      const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
                      return [all.length, all.reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)];
                    }""")
                    if "/accounts/login/" in page.url:
                        raise SystemExit(f"{path} redirected to the login page")
                    page.close()
                    if run:
                        samples.append(elapsed)
                print(f"  {label:22s} median {statistics.median(samples):7.0f} ms  "
                      f"min {min(samples):6.0f}  max {max(samples):6.0f}  "
                      f"{fetched[0]} requests, {fetched[1] / 1024:,.0f} KiB")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
