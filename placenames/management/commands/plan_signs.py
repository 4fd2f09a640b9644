"""manage.py plan_signs --township CODE [--commit]: the signs a township still needs."""

from django.core.management.base import BaseCommand, CommandError

from boundaries.codes import Level
from boundaries.models import Division
from geoapp.jurisdiction import normalise_code
from placenames.signs.plans import PlanError, plan_signs


class Command(BaseCommand):
    help = (
        "为乡镇规划地名标志：驻地标志和每个村（社区）的村牌中尚未设置的，以及待更换标志的替换牌。"
        "默认只试算并列出；加 --commit 才保存。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--township", required=True, help="乡级区划代码（9 或 12 位），如 620521100")
        parser.add_argument("--commit", action="store_true", help="保存规划（默认只试算）")

    def handle(self, *args, **opts):
        try:
            code = normalise_code(opts["township"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        township = Division.objects.current().at_level(Level.TOWNSHIP).filter(code=code).first()
        if township is None:
            raise CommandError(f"没有现行的乡级区划 {code}")
        try:
            plan = plan_signs(township=township, created_by=None, dry_run=not opts["commit"])
        except PlanError as exc:
            raise CommandError(str(exc)) from exc
        for item in plan.items:
            warn = f"  ！{'；'.join(item.warnings)}" if item.warnings else ""
            self.stdout.write(
                f"{item.type_label}\t{item.text_cn}\t{item.text_pinyin}\t{item.division.code}\t"
                f"{item.position.x:.6f},{item.position.y:.6f}\t{item.reason}{warn}"
            )
        for what, why in plan.skipped:
            self.stdout.write(f"跳过\t{what}\t{why}")
        self.stdout.write(plan.summary())
        if plan.dry_run and plan.items:
            self.stdout.write("（试算，未保存；加 --commit 保存）")
