"""What every form of the site shares: labels end in the colon of the page's language.

Django ends labels with ``gettext(":")``, which Django's own Simplified Chinese catalogue
leaves as the ASCII colon; a Chinese label takes the full-width "：" (GB/T 15834).
"""

from __future__ import annotations

from django.utils.translation import get_language


def label_suffix() -> str:
    return "：" if (get_language() or "zh-hans").startswith("zh") else ":"


class SiteFormMixin:
    """Put first among a form's bases: sets ``label_suffix`` for the current language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", label_suffix())
        super().__init__(*args, **kwargs)
