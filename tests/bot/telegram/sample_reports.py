"""Two short fictional reports (our own writing) for the end-to-end bot tests, plus a docx to upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

SUMMARY_NAME = "qinghe_2025_h1_summary.txt"
SUMMARY = """青禾县卫生健康局2025年上半年工作总结

一、主要工作完成情况
（一）传染病防控
上半年开展手足口病防控培训6次，覆盖托幼机构85所。累计报告手足口病病例132例，无重症病例。
（二）预防接种
完成适龄儿童免疫规划疫苗接种4.2万剂次，接种率保持在95%以上。
（三）慢性病管理
规范管理高血压患者1.8万人、糖尿病患者6200人，规范管理率达到72%。
（四）食品安全
抽检餐饮单位310家，查处违规问题27起。
（五）职业病防治
完成<b>重点</b>企业&*_[]职业病危害因素检测46家。
二、存在的问题
基层公共卫生人员不足，部分乡镇卫生院仅有1名公卫医生。
"""

PLAN_NAME = "qinghe_2025_h2_plan.txt"
PLAN = """青禾县卫生健康局2025年下半年工作计划

一、工作思路
坚持预防为主，补齐基层公共卫生短板。
二、重点工作
（一）流感防控
加强秋冬季流感防控，为60岁以上老人接种流感疫苗1.5万剂次。
（二）家庭医生签约
推进家庭医生签约服务，签约率提高到45%。
（三）妇幼健康
开展孕产妇健康管理，孕产妇系统管理率达到90%。
"""

DOCX_NAME = "qinghe_rabies.docx"
DOCX_PARAGRAPHS = [
    "青禾县2025年狂犬病防控工作总结",
    "一、主要做法",
    "（一）犬只免疫",
    "全县为家养犬只接种兽用狂犬病疫苗9300只，免疫密度达到88%。",
    "（二）暴露处置",
    "县疾控中心设立狂犬病暴露处置门诊3个，全年处置犬伤患者2140人次。",
]

# (question, a phrase the answer must contain); the 20-user test spreads users over these topics.
TOPICS = [
    ("上半年手足口病防控培训开展了几次？", "6次"),
    ("免疫规划疫苗接种完成了多少剂次？", "4.2万剂次"),
    ("高血压患者规范管理了多少人？", "1.8万人"),
    ("为60岁以上老人接种流感疫苗多少剂次？", "1.5万剂次"),
    ("家庭医生签约率要提高到多少？", "45%"),
]


def write_reports(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / SUMMARY_NAME, folder / PLAN_NAME]
    paths[0].write_text(SUMMARY, encoding="utf-8")
    paths[1].write_text(PLAN, encoding="utf-8")
    return paths


def docx_bytes(paragraphs: list[str] = DOCX_PARAGRAPHS) -> bytes:
    """A real .docx made with python-docx."""
    import io

    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
