"""The site's help page: the Chinese operator guide docs/使用指南.md, rendered to HTML.

The guide is written once, in Markdown beside the other docs (so it reads the same on a
code host and in the product), and served here with its screenshots from docs/ so that
an intranet user needs nothing else. Only the guide and PNG files directly in docs/ are
served; nothing else of the repository is reachable.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

DOCS = Path(settings.BASE_DIR) / "docs"
GUIDE = DOCS / "使用指南.md"
IMAGE_NAME = re.compile(r"^[\w\-]+\.png$")


@lru_cache(maxsize=4)
def _render(mtime: float, image_base: str) -> tuple[str, list[dict]]:
    converter = markdown.Markdown(extensions=["toc", "tables"], extension_configs={"toc": {"toc_depth": "2"}})
    text = GUIDE.read_text(encoding="utf-8")
    # Screenshots are linked relative to docs/ (they show on a code host too); here
    # they come from the help image view.
    text = re.sub(r"\]\((?:\./)?(?:screenshots/)?([\w\-]+\.png)\)", lambda m: f"]({image_base}{m.group(1)})", text)
    html = converter.convert(text)
    toc = [{"id": t["id"], "name": t["name"]} for top in converter.toc_tokens for t in top.get("children", [])]
    return html, toc


def help_page(request):
    if not GUIDE.exists():
        raise Http404
    image_base = reverse("help-image", args=["x.png"]).removesuffix("x.png")
    html, toc = _render(GUIDE.stat().st_mtime, image_base)
    return render(request, "geoapp/help.html", {"guide": html, "toc": toc})


def help_image(request, name: str):
    path = DOCS / "screenshots" / name
    if not IMAGE_NAME.match(name) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
