"""起草 in a real browser: a writer drafts, edits one paragraph, exports the .docx and reads it back; a viewer is
refused the page."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from docx import Document

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

    assert page.get_by_text(MARK, exact=True).is_visible()
    paragraphs = page.locator("tr.paragraph")
    cited = paragraphs.filter(has=page.locator("td.sources details")).first
    assert cited.locator("td.sources summary").first.inner_text().startswith("[")  # beside its sources

    cited.get_by_text("编辑").click()
    cited.locator("textarea").fill(EDIT)
    cited.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_text("已保存修改").is_visible()
    assert page.get_by_text(EDIT, exact=True).is_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Word（.docx）").click()
    document = Document(BytesIO(download.value.path().read_bytes()))
    body = [p.text for p in document.paragraphs]
    assert EDIT in body
    assert MARK in [p.text for p in document.sections[0].header.paragraphs]
    assert download.value.suggested_filename.endswith(".docx")
    assert audit_matches(web.audit_lines(), "action=draft_export", "user=writer", "outcome=ok")

    page.goto("/draft")  # saved for the writer: reopened from the list, the edit still there
    page.locator("table a").first.click()
    assert page.get_by_text(EDIT, exact=True).is_visible()


def test_a_viewer_cannot_open_the_draft_page(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["viewer"])
    response = page.goto("/draft")
    assert response is not None
    assert response.status == 403
    assert audit_matches(web.audit_lines(), "user=viewer", "action=forbidden", "/draft")
