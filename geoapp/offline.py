"""The offline machinery shared by every field page (signs, boundary inspections).

One service worker (``geoapp/static/geoapp/field-sw.js``, served as ``/field/sw.js`` so
its scope ``/field/`` covers every phone page) and one manifest (``/field/offline.json``)
listing each registered page shell, its assets and the GET data URLs the worker keeps
the last answer of. The page-side queue (IndexedDB outbox, retry-safe uploads with a
``client_id``) is ``geoapp/static/geoapp/offline-queue.js``. Apps register their field
page in ``AppConfig.ready`` (``register_field_page``) with URL *names*, so geoapp imports
no app (imports flow geoapp ← boundaries ← placenames).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

WORKER = "geoapp/field-sw.js"
QUEUE = "geoapp/offline-queue.js"
# civatlas.js: what every page's script shares (base.html loads it; the queue builds on it).
COMMON_ASSETS = ("geoapp/base.css", "geoapp/favicon.png", "geoapp/civatlas.js", "geoapp/nav.js", QUEUE)


@dataclass(frozen=True)
class FieldPage:
    shell: str  # URL name of the page
    assets: tuple[str, ...]  # static file names
    data: tuple[str, ...]  # URL names of GET APIs kept for offline use
    template: str


_PAGES: dict[str, FieldPage] = {}


def register_field_page(*, shell: str, assets: tuple[str, ...], data: tuple[str, ...], template: str) -> None:
    _PAGES[shell] = FieldPage(shell, tuple(assets), tuple(data), template)


def field_pages() -> list[FieldPage]:
    return list(_PAGES.values())


def assets_version() -> str:
    """Changes whenever the worker, an asset or a page template changes: pages register
    ``sw.js?v=<version>``, so phones take the new shells once online."""
    digest = hashlib.sha256()
    names = [WORKER, *COMMON_ASSETS, *sorted({a for p in _PAGES.values() for a in p.assets})]
    for name in names:
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    for page in sorted(_PAGES.values(), key=lambda p: p.shell):
        digest.update(get_template(page.template).template.source.encode())
    return digest.hexdigest()[:12]


def worker_url() -> str:
    return f"{reverse('field-worker')}?v={assets_version()}"


def worker_scope() -> str:
    """The directory the worker is served from (``/field/``): it controls the pages below."""
    return reverse("field-worker").rsplit("/", 1)[0] + "/"


@never_cache
def service_worker(request):
    """The shared field service worker (a static file), served under /field/."""
    path = finders.find(WORKER)
    if path is None:
        raise Http404(WORKER)
    with open(path, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = worker_scope()
    return response


@never_cache
def offline_manifest(request):
    """What the worker caches on install: every page shell and its assets."""
    assets = {static(name) for name in COMMON_ASSETS}
    for page in _PAGES.values():
        assets.update(static(name) for name in page.assets)
    assets.add(reverse("javascript-catalog"))
    return JsonResponse({
        "version": assets_version(),
        "shells": sorted(reverse(p.shell) for p in _PAGES.values()),
        "assets": sorted(assets),
        "data": sorted(reverse(name) for p in _PAGES.values() for name in p.data),
    })
