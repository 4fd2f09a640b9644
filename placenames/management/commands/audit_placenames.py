"""manage.py audit_placenames [--division CODE] [--csv PATH]: gazetteer quality audit."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placenames.audit import RULES, audit_placenames


class Command(BaseCommand):
    help = "地名数据质量检查：拼写、读音、生僻字、位置、重名同音、含义来历、代码；按县统计，可导出 CSV。"

    def add_arguments(self, parser):
        parser.add_argument("--division", help="only names inside this division code (default: all)")
        parser.add_argument("--csv", help="write every issue to this CSV file ('-' for standard output)")

    def handle(self, *args, **opts):
        try:
            report = audit_placenames(division_code=opts["division"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if opts["csv"] == "-":
            self.stdout.write(report.to_csv(), ending="")
            return
        if opts["csv"]:
            Path(opts["csv"]).write_text("\ufeff" + report.to_csv(), encoding="utf-8")
        rules = list(RULES)
        self.stdout.write(f"范围 {report.scope}：{report.names} 个标准地名，{len(report.issues)} 个问题")
        self.stdout.write("county\t" + "\t".join(rules))
        for county, row in report.counts().items():
            self.stdout.write(county + "\t" + "\t".join(str(row.get(r, 0)) for r in rules))
        totals = report.totals()
        self.stdout.write("total\t" + "\t".join(str(totals.get(r, 0)) for r in rules))
        if opts["csv"]:
            self.stdout.write(f"问题清单已写入 {opts['csv']}")
