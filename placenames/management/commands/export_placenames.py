"""manage.py export_placenames --within CODE --format csv|gpkg -o PATH."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geoapp.jurisdiction import normalise_code
from placenames.exchange import ExportFailed, export_csv, export_gpkg
from placenames.models import PlaceName


class Command(BaseCommand):
    help = "导出地名（国家地名信息库字段，CGCS2000）为 CSV 或 GeoPackage。"

    def add_arguments(self, parser):
        parser.add_argument("--within", required=True, help="division code, e.g. 620521")
        parser.add_argument("--format", choices=("csv", "gpkg"), default="csv")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **opts):
        try:
            places = PlaceName.objects.within(normalise_code(opts["within"]))
            data = export_csv(places) if opts["format"] == "csv" else export_gpkg(places)
        except (ValueError, ExportFailed) as exc:
            raise CommandError(str(exc)) from exc
        Path(opts["output"]).write_bytes(data)
        self.stdout.write(f"已导出 {places.count()} 条地名到 {opts['output']}")
