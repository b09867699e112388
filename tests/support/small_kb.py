"""A small real knowledge base for load tests: one invented 公文-style report, ingested into a tmp data dir.

Real Chroma, the bundled embedder and BM25; the report is written by the test (never a sample report), so the
questions below are answered from it in the LLM path (``found``) and extractively when the model fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.services import build_services
from bot.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from bot.services import Services

REPORT_NAME = "青山县卫生健康局2025年上半年工作总结.txt"
REPORT = """青山县卫生健康局2025年上半年工作总结

今年以来，我局在县委、县政府的领导下，扎实推进各项卫生健康工作，现将上半年工作总结如下。

一、主要工作完成情况
（一）传染病防控。上半年全县开展传染病防控培训12次，培训基层医务人员860人次。设立登革热监测点6个，完成病媒生物监测240次。
（二）慢性病管理。全县高血压患者规范管理率达到75.3%，糖尿病患者规范管理率达到71.8%，新建慢病自我管理小组14个。
（三）妇幼健康。孕产妇系统管理率达到95.6%，0至6岁儿童健康管理率达到93.2%，开展两癌筛查4100人。

二、存在的问题
基层卫生人才短缺，村医老龄化严重；部分乡镇卫生院设备陈旧，信息化水平不高。

三、下半年工作计划
（一）加强传染病防控，开展秋冬季传染病防控演练2次。
（二）推进家庭医生签约服务，签约率提高到45%。

青山县卫生健康局
2025年7月10日
"""
QUESTIONS = [
    "上半年传染病防控培训开展了多少次？",
    "高血压患者规范管理率是多少？",
    "孕产妇系统管理率达到多少？",
    "登革热监测点设立了几个？",
    "上半年开展两癌筛查多少人？",
    "糖尿病患者规范管理率是多少？",
]


def write_report(folder: Path) -> Path:
    """Write the invented report into ``folder``; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / REPORT_NAME
    path.write_text(REPORT, encoding="utf-8")
    return path


def ingested_services(data_dir: Path, **settings: Any) -> Services:
    """Real services over a data dir holding the invented report (``settings`` as ``Settings`` fields)."""
    built = build_services(Settings(_env_file=None, data_dir=data_dir, **settings))  # type: ignore[call-arg]
    report = built.ingest.ingest([write_report(data_dir.parent / f"{data_dir.name}-docs")])
    assert not report.failed, report.failed
    return built
