"""manage.py build_boundary_lines --parent CODE [--level LEVEL]: rebuild the province topology.

One PostGIS topology per province holds every polygon level (ADR 0014), so building
the lines of any parent rebuilds the topology of its province and the lines of every
level; ``--level`` is accepted for old scripts and changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from boundaries.actions import build_province_topology, province_of
from boundaries.codes import Level
from boundaries.edit_geometry import EditRefused
from boundaries.models import Division
from geoapp.jurisdiction import normalise_code


class Command(BaseCommand):
    help = "由乡级区划面建立全省统一拓扑，导出各级界线（每条公共边只存一次）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--parent", required=True, help="any division code of the province, e.g. 620500")
        parser.add_argument("--level", choices=Level.values, help="ignored: every level is rebuilt together")

    def handle(self, *args, **opts):
        try:
            parent = Division.objects.current().get(code=normalise_code(opts["parent"]))
            province = province_of(parent)
        except (ValueError, Division.DoesNotExist) as exc:
            raise CommandError(f"没有现行区划 {opts['parent']} 或其所属省级区划") from exc
        total = Division.objects.current().within(province.code).at_level(Level.TOWNSHIP).count()
        if total == 0:
            raise CommandError(f"{province.name} 之内没有乡级区划面，无法建立拓扑")
        try:
            with tqdm(total=total, desc="建立拓扑", unit="个", disable=opts["verbosity"] == 0) as bar:
                report = build_province_topology(province=province, progress=bar.update)
        except EditRefused as exc:
            raise CommandError(exc.message) from exc
        names = dict(Division.objects.filter(id__in=report.names_needed()).values_list("id", "name"))
        self.stdout.write(report.summary(names))
        if report.problems:
            raise CommandError(f"{len(report.problems)} 处重叠或缝隙过大，未自动处理，请核实后重新生成。")
