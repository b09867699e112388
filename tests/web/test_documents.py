"""文档 and 检索测试 in a real browser: upload reports, watch them ingest, find them, ask about them; a hostile
document's markup is shown as text and never runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.support.corpus import corpus_file
from tests.web.support import audit_matches, sign_in

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Dialog, Page

    from tests.web.support import WebServer

REPORT_NAME = "白云县卫生健康局2025年上半年狂犬病防控工作总结.txt"
REPORT = """白云县卫生健康局2025年上半年狂犬病防控工作总结

一、主要工作完成情况
（一）狂犬病暴露处置。上半年全县新设狂犬病暴露处置门诊7个，处置犬伤患者1386人次，全程接种率达到96.4%。
（二）宣传培训。开展狂犬病防治知识培训5期，培训乡村医生420人次。

二、下半年工作计划
继续规范狂犬病暴露处置门诊建设，力争全程接种率保持在95%以上。

白云县卫生健康局
2025年7月8日
"""
QUESTION = "白云县上半年新设了几个狂犬病暴露处置门诊？"
HOSTILE_NAME = "hostile-report.txt"
HOSTILE = """白云县碘缺乏病防治工作总结

一、主要工作
<script>window.__pwned = "script"; alert("script")</script>今年全县完成碘缺乏病监测学校40所。
<img src=x onerror="window.__pwned = 'img'; alert('img')">检测儿童尿碘样本2000份。
<svg onload="window.__pwned = 'svg'">碘盐覆盖率达到95.1%。</svg>
"""


def _upload(page: Page, *paths: Path) -> None:
    page.goto("/docs")
    picker = page.get_by_label("上传文件")
    offered = set((picker.get_attribute("accept") or "").split(","))
    # the file picker offers every type ingest reads
    assert {".docx", ".pdf", ".png", ".ofd", ".doc"} <= offered
    picker.set_input_files([str(p) for p in paths])
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url("**/docs/jobs/*")
    page.get_by_text("全部处理完毕").wait_for(timeout=120_000)


def test_an_admin_uploads_a_report_sees_it_ingest_finds_it_and_asks_about_it(
    page: Page, web: WebServer, tmp_path: Path
) -> None:
    report = tmp_path / REPORT_NAME
    report.write_text(REPORT, encoding="utf-8")
    not_word = tmp_path / "plan.docx"
    not_word.write_text("这不是 Word 文档", encoding="utf-8")
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00")
    same_name = tmp_path / corpus_file("001").name  # a report already ingested from the corpus folder
    same_name.write_text(REPORT, encoding="utf-8")
    sign_in(page, web.users["admin"])

    _upload(page, report, not_word, program, same_name)

    events = page.request.get(page.url + "/events")  # what jobs.js follows while the files ingest
    assert events.headers["content-type"].startswith("text/event-stream")
    assert events.text().count("event: file") >= 4
    assert events.text().rstrip().endswith("event: done\ndata: {}")
    items = page.locator("#job li")
    assert items.count() == 4
    assert "已导入" in items.nth(0).inner_text()
    assert items.nth(0).get_attribute("data-state") == "added"
    assert "文件内容不是 Word（.docx）文档" in items.nth(1).inner_text()  # the chats' reasons, word for word
    assert "不支持的文件类型（.exe）" in items.nth(2).inner_text()
    assert items.nth(3).get_attribute("data-state") == "failed"  # one name, one document: the CLI's refusal
    assert "知识库中已有同名文档" in items.nth(3).inner_text()
    lines = web.audit_lines()
    assert audit_matches(lines, "frontend=web", "user=admin", "action=upload", "outcome=added", REPORT_NAME)
    assert audit_matches(lines, "user=admin", "action=upload", "outcome=unsupported")

    page.get_by_role("link", name="返回文档列表").click()
    row = page.get_by_role("row").filter(has_text=REPORT_NAME)
    assert row.count() == 1
    assert "admin（web）" in row.inner_text()  # who ingested it
    page.get_by_role("link", name="白云县卫生健康局2025年上半年狂犬病防控工作总结").first.click()
    assert page.get_by_text("处置犬伤患者1386人次").first.is_visible()

    page.goto("/retrieval")
    page.get_by_label("测试问题").fill(QUESTION)
    page.get_by_role("button", name="检索").click()
    answer = page.locator("#answer")
    assert "找到答案" in answer.inner_text()
    assert "7个" in answer.locator(".delivered").inner_text()
    assert answer.locator(".verdict-note").is_visible()  # extractive here: every sentence quoted, kept
    first = page.get_by_role("row").nth(1).inner_text()  # the best passage, with its three scores
    assert REPORT_NAME in first
    assert first.count(".") >= 3
    assert audit_matches(web.audit_lines(), "user=admin", "action=retrieval_test", "outcome=ok")


def test_a_hostile_documents_markup_is_shown_as_text_and_never_runs(
    page: Page, web: WebServer, tmp_path: Path
) -> None:
    dialogs: list[str] = []
    confirming = False

    def on_dialog(dialog: Dialog) -> None:
        if confirming:  # the delete button's confirmation, below
            dialog.accept()
            return
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    hostile = tmp_path / HOSTILE_NAME
    hostile.write_text(HOSTILE, encoding="utf-8")
    sign_in(page, web.users["admin"])
    _upload(page, hostile)
    assert page.locator("#job li").first.get_attribute("data-state") == "added"

    for path in ("/docs", "/retrieval?q=碘缺乏病监测学校有多少所"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("script:not([src])").count() == 0, path

    page.goto("/docs")
    page.get_by_role("row").filter(has_text=HOSTILE_NAME).get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__pwned") is None
    shown = "\n".join(page.locator(".passage").all_inner_texts())
    assert '<script>window.__pwned = "script"' in shown  # the markup, as text
    assert '<img src=x onerror="window.__pwned' in shown
    assert page.locator("img, svg").count() == 0
    assert dialogs == []

    # delete, confirmed in the page's dialog (the only dialog the console ever opens)
    confirming = True
    page.get_by_role("button", name="删除").click()
    page.wait_for_url("**/docs")
    assert "已删除" in page.get_by_role("status").inner_text()
    assert page.get_by_role("row").filter(has_text=HOSTILE_NAME).count() == 0
    assert audit_matches(web.audit_lines(), "user=admin", "action=delete", "outcome=deleted")
