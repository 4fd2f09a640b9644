"""manage.py build_boundary_lines --parent CODE --level LEVEL: derive lines via PostGIS topology."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from boundaries.actions import build_boundary_lines
from boundaries.codes import Level
from boundaries.models import Division
from geoapp.jurisdiction import normalise_code


class Command(BaseCommand):
    help = "由区划面生成界线（PostGIS 拓扑，每条公共边只存一次）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--parent", required=True, help="parent division code, e.g. 620500")
        parser.add_argument("--level", required=True, choices=Level.values)

    def handle(self, *args, **opts):
        try:
            parent = Division.objects.current().get(code=normalise_code(opts["parent"]))
        except (ValueError, Division.DoesNotExist) as exc:
            raise CommandError(f"没有现行区划 {opts['parent']}") from exc
        total = Division.objects.current().within(parent.code).at_level(opts["level"]).count()
        if total == 0:
            raise CommandError(f"{parent.name} 之内没有{Level(opts['level']).label}区划")
        with tqdm(total=total, desc="建立拓扑", unit="个", disable=opts["verbosity"] == 0) as bar:
            report = build_boundary_lines(parent=parent, level=opts["level"], progress=bar.update)
        names = dict(Division.objects.filter(id__in={d for s in report.slivers for d in s.candidates})
                     .values_list("id", "name"))
        self.stdout.write(report.summary(names))
        if report.problems:
            raise CommandError(f"{len(report.problems)} 处重叠或缝隙过大，未自动处理，请核实后重新生成。")
