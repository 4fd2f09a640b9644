"""manage.py import_divisions PATH --level … --code-field … --name-field … [options]."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from boundaries.codes import Level
from boundaries.importer import import_divisions
from boundaries.models import Source
from geoapp.datums import DATUMS


class Command(BaseCommand):
    help = "导入行政区划（Shapefile / GeoPackage / GeoJSON / zip），按代码更新；任一要素失败则不写入。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--level", required=True, choices=Level.values)
        parser.add_argument("--code-field", required=True)
        parser.add_argument("--name-field", required=True)
        parser.add_argument("--parent", help="all features must lie inside this division code")
        parser.add_argument("--parent-field", help="attribute holding each feature's parent code")
        parser.add_argument("--datum", default="cgcs2000", choices=DATUMS,
                            help="source datum; gcj02 (AMap/Tencent) and bd09 (Baidu) are converted")
        parser.add_argument("--srid", type=int, help="EPSG code when the file has no CRS (.prj)")
        parser.add_argument("--layer", default=0, help="layer name or index (GeoPackage)")
        parser.add_argument("--seat-fields", help="X,Y attribute names of the seat point")
        parser.add_argument("--source", default=Source.IMPORTED, choices=Source.values)
        parser.add_argument("--source-field")
        parser.add_argument("--note-field")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--encoding", help="attribute text encoding (default: UTF-8, else GB18030 detected)")
        parser.add_argument("--user", help="every code must lie in this user's jurisdiction")

    def handle(self, *args, **opts):
        user = None
        if opts["user"]:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"没有用户 {opts['user']}")
        layer = opts["layer"]
        layer = int(layer) if str(layer).isdigit() else layer
        seat_fields = tuple(opts["seat_fields"].split(",")) if opts["seat_fields"] else None
        if seat_fields and len(seat_fields) != 2:
            raise CommandError("--seat-fields needs two names: X,Y")
        with tqdm(desc="读取要素", unit="个", disable=opts["verbosity"] == 0) as bar:
            report = import_divisions(
                opts["path"], level=opts["level"], code_field=opts["code_field"], name_field=opts["name_field"],
                parent=opts["parent"], datum=opts["datum"], dry_run=opts["dry_run"], srid=opts["srid"],
                layer=layer, parent_field=opts["parent_field"], seat_fields=seat_fields, source=opts["source"],
                source_field=opts["source_field"], note_field=opts["note_field"], progress=bar.update,
                encoding=opts["encoding"], user=user,
            )
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError("导入失败（import failed）：未写入任何数据。")
