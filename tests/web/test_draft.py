"""起草 in a real browser: a writer drafts, edits one paragraph, exports the .docx and reads it back; a viewer is
refused the page."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from docx import Document
from playwright.sync_api import expect

from tests.web.support import audit_matches, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.web.support import WebServer

MARK = "AI 辅助起草，需人工审核"
EDIT = "（经人工修改）全面加强手足口病防控，落实晨午检制度。"


def test_a_writer_drafts_edits_and_exports_a_marked_docx(page: Page, web: WebServer) -> None:
    page.on("dialog", lambda dialog: dialog.accept())  # 删除 asks first
    sign_in(page, web.users["writer"])
    page.goto("/draft")
    page.get_by_label("文种").select_option("计划")
    page.get_by_label("时段").select_option("下半年")
    page.get_by_label("主题").fill("手足口病防控")
    page.get_by_role("button", name="起草").click()
    page.wait_for_url("**/draft/*", timeout=60_000)

    expect(page.locator(".ai-mark")).to_have_text(MARK)
    paragraphs = page.locator("tr.paragraph")
    cited = paragraphs.filter(has=page.locator("td.sources details")).first
    assert cited.locator("td.sources summary").first.inner_text().startswith("[")  # beside its sources

    cited.get_by_text("编辑").click()
    cited.locator("textarea").fill(EDIT)
    cited.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("已保存修改。")
    expect(page.locator(".para-text", has_text=EDIT)).to_have_count(1)
    last = page.locator("tr.paragraph").last
    dropped = last.locator(".para-text").inner_text()
    last.get_by_role("button", name="删除").click()
    expect(page.get_by_role("status")).to_have_text("已删除这一段。")

    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Word（.docx）").click()
    document = Document(BytesIO(download.value.path().read_bytes()))
    body = [p.text for p in document.paragraphs]
    assert EDIT in body
    assert dropped not in body
    assert MARK in [p.text for p in document.sections[0].header.paragraphs]
    assert download.value.suggested_filename.endswith(".docx")
    assert audit_matches(web.audit_lines(), "action=draft_export", "user=writer", "outcome=ok")

    page.goto("/draft")  # saved for the writer: reopened from the list, the edit still there
    page.locator("table a").first.click()
    expect(page.locator(".para-text", has_text=EDIT)).to_have_count(1)


def test_a_viewer_cannot_draft_even_with_a_valid_token_and_no_one_posts_without_one(
    page: Page, web: WebServer
) -> None:
    sign_in(page, web.users["viewer"])
    response = page.goto("/draft")
    assert response is not None
    assert response.status == 403
    csrf = page.locator('input[name="csrf_token"]').first.get_attribute("value") or ""
    form = {"csrf_token": csrf, "kind": "计划", "topic": "手足口病防控"}
    assert page.request.post("/draft", form=form).status == 403  # the role is checked on the server
    assert page.request.post("/draft/abcdefgh1234/export", form={"csrf_token": csrf}).status == 403
    assert (
        page.request.post("/ask", form={"question": "上半年做了什么", "conversation": "x" * 16}).status == 403
    )
    lines = web.audit_lines()
    assert audit_matches(lines, "user=viewer", "action=forbidden", '"POST /draft"')
    assert audit_matches(lines, "user=viewer", "action=forbidden", "reason=csrf", '"POST /ask"')
