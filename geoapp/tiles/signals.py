"""Keep tiles in step with the data: every saved or deleted feature invalidates its tiles.

A save captures the feature's old extent (``pre_save``) and, once the transaction has
committed, deletes the cached tiles meeting the old or the new extent, in the feature's
layer only. A division whose polygon changed first has its generalised copies rebuilt
(with its neighbours', whose shared edges moved: ``tiles.generalise``). Bulk loads that
bypass ``save()`` (importers, ``load_national``) run ``manage.py build_tiles`` instead.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from geoapp.tiles import cache

# model label → (geometry fields, layers of the model; None: the division's level)
WATCHED = {
    "boundaries.Division": (("geom",), None),
    "boundaries.BoundaryLine": (("geom",), ("lines",)),
    "placenames.PlaceName": (("geom",), ("names",)),
    "facilities.Facility": (("location",), ("facilities",)),
    "placenames.Sign": (("installed_geom", "planned_geom"), ("signs",)),
}


def _extent(geom):
    return tuple(geom.extent) if geom is not None and not geom.empty else None


def _geoms(instance, fields):
    return [getattr(instance, f) for f in fields]


def _remember_old(sender, instance, **kwargs):
    fields, _ = WATCHED[sender._meta.label]
    if instance.pk is None:
        instance._tile_old = None
        return
    old = sender._default_manager.filter(pk=instance.pk).only(*fields).first()
    instance._tile_old = _geoms(old, fields) if old else None


def _changed(sender, instance, deleted=False, **kwargs):
    fields, layers = WATCHED[sender._meta.label]
    old = getattr(instance, "_tile_old", None) or []
    new = [] if deleted else _geoms(instance, fields)
    is_division = sender._meta.label == "boundaries.Division"
    layers = layers or (instance.level, "divisions", "lines")
    moved = [g.wkb for g in old if g is not None] != [g.wkb for g in new if g is not None]
    pk = instance.pk

    def apply():
        extents = [_extent(g) for g in (*old, *new)]
        if is_division and moved and not deleted:
            from boundaries.models import Division
            from geoapp.tiles.generalise import rebuild_divisions

            targets = rebuild_divisions([pk])
            extents += [_extent(d.geom) for d in Division.objects.filter(pk__in=targets).only("geom")]
        cache.invalidate(layers, [e for e in extents if e])

    transaction.on_commit(apply)


def _deleted(sender, instance, **kwargs):
    fields, _ = WATCHED[sender._meta.label]
    instance._tile_old = _geoms(instance, fields)
    _changed(sender, instance, deleted=True)


for label in WATCHED:
    model = apps.get_model(label)
    pre_save.connect(_remember_old, sender=model, dispatch_uid=f"tiles-old-{label}")
    post_save.connect(_changed, sender=model, dispatch_uid=f"tiles-changed-{label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"tiles-deleted-{label}")
