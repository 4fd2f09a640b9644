"""``manage.py build_tiles``: rebuild the generalised tile geometries and empty the tile cache.

Run after bulk loads that bypass ``save()`` (the demo and national importers). With
``--if-missing`` it only builds when some current division has no tile geometry yet
(what ``make setup`` runs: cheap when nothing changed).
"""

import time

from django.core.management.base import BaseCommand

from geoapp.tiles import cache
from geoapp.tiles.generalise import rebuild_all


class Command(BaseCommand):
    help = "重建矢量瓦片的概化几何并清空瓦片缓存"

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="仅在有区划缺少瓦片几何时重建")

    def handle(self, *args, if_missing=False, **options):
        from boundaries.models import Division

        if if_missing and not Division.objects.current().filter(geom__isnull=False, tile_geom__isnull=True).exists():
            return
        started = time.monotonic()
        counts = rebuild_all()
        flushed = cache.flush()
        total = sum(counts.values())
        self.stdout.write(f"瓦片几何：{total} 个区划 {counts}，清除缓存瓦片 {flushed} 个，用时 {time.monotonic() - started:.1f} 秒")
