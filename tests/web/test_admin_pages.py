"""问答记录, 未答问题, 人员, 审计 and 状态 in a real browser, on the records the chat core and the console keep."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.access import ChatKind
from bot.chat.qa_log import QaLog
from bot.chat.types import Requester
from tests.web.support import audit_matches, make_password, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.web.support import WebServer


def _seed_questions(web: WebServer) -> None:
    """Questions as the WeCom front end records them (the chat core's recording: tests/bot/chat/test_qa_log.py)."""
    from retrieval.answers.types import Answer, Citation, SentenceCheck

    qa = QaLog(web.data_dir)
    who = Requester("wecom", "zhang.san", "zhang.san", ChatKind.PRIVATE)
    cited = Citation(1, "c1", "000_report.txt", "某县2024年上半年工作总结", ("一、工作",), "……")
    found = Answer(
        "共开展培训12次[1]。",
        [cited],
        "llm",
        True,
        checks=(
            SentenceCheck("共开展培训12次[1]。", True),
            SentenceCheck("还有CANARY-1[1]。", False, "latin"),
        ),
    )
    qa.record(who, "上半年开展了几次培训？", found, 1.25)
    missing = Answer("报告中没有找到。", [], "extractive", False, state="not_found")
    qa_id = qa.record(who, "疯狗病疫苗打了多少人？", missing, 0.4)
    qa.feedback(qa_id, "zhang.san", useful=False)


def test_qa_records_filters_export_and_a_glossary_entry_from_the_unanswered(
    page: Page, web: WebServer
) -> None:
    _seed_questions(web)
    sign_in(page, web.users["admin"])

    page.goto("/qa")
    rows = page.get_by_role("row")
    assert rows.filter(has_text="上半年开展了几次培训？").filter(has_text="wecom").count() == 1
    asked = rows.filter(has_text="上半年开展了几次培训？").inner_text()
    assert "还有CANARY-1" in asked  # the dropped sentence, and why
    assert "字母或编号在所引段落中找不到" in asked
    page.get_by_label("筛选").select_option("negative")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_role("row").filter(has_text="疯狗病疫苗打了多少人？").count() == 1
    assert page.get_by_role("row").filter(has_text="上半年开展了几次培训？").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert text.startswith("时间,前端,用户,问题")
    assert "疯狗病疫苗打了多少人？" in text
    assert "上半年开展了几次培训" not in text  # the filter applies to the export

    page.goto("/unanswered")
    group = page.locator("section.card").filter(has_text="疯狗病疫苗打了多少人？")
    group.get_by_label("口语说法").fill("疯狗病")
    group.get_by_label("规范说法").fill("狂犬病")
    group.get_by_role("button", name="添加词条").click()
    assert "已添加词条“疯狗病 = 狂犬病”" in page.get_by_role("status").inner_text()
    assert "疯狗病 = 狂犬病" in (web.data_dir / "glossary.txt").read_text(encoding="utf-8")
    assert audit_matches(web.audit_lines(), "user=admin", "action=glossary_add", "outcome=ok")


def test_people_an_admin_adds_an_account_and_disabling_it_ends_its_session(
    page: Page, web: WebServer, browser
) -> None:
    password = make_password()
    sign_in(page, web.users["admin"])
    page.goto("/people")
    page.get_by_label("新用户名").fill("wang.wu")
    page.get_by_label("新账户角色").select_option("viewer")
    page.get_by_label("初始密码").fill(password)
    page.get_by_role("button", name="新建").click()
    assert "已新建账户 wang.wu" in page.get_by_role("status").inner_text()

    other = browser.new_context(base_url=web.url)
    try:
        theirs = other.new_page()
        sign_in(theirs, "wang.wu", password)
        assert theirs.url.endswith("/ask")

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("row").filter(has_text="wang.wu").get_by_role("button", name="停用").click()
        assert "已停用账户 wang.wu" in page.get_by_role("status").inner_text()
        theirs.goto("/ask")
        assert "/login" in theirs.url  # the session ended with the account
    finally:
        other.close()
    lines = web.audit_lines()
    assert audit_matches(lines, "user=admin", "action=user_add", "wang.wu")
    assert audit_matches(lines, "user=admin", "action=user_disable", "wang.wu")


def test_audit_page_shows_the_chain_intact_filters_and_exports(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["admin"])
    page.goto("/audit")
    assert "校验链完好" in page.get_by_role("status").inner_text()
    page.get_by_label("事件").select_option("sign_in")
    page.get_by_role("button", name="筛选").click()
    actions = page.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert actions
    assert set(actions) == {"登录"}
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert text.startswith("时间,前端,用户,事件")
    assert audit_matches(web.audit_lines(), "user=admin", "action=audit_export")


def test_the_audit_page_names_a_line_edited_after_it_was_shown(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["admin"])
    page.goto("/audit")
    assert "校验链完好" in page.get_by_role("status").inner_text()
    original = web.audit_log.read_text(encoding="utf-8")
    lines = original.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "action=sign_in" in line and "outcome=ok" in line)
    lines[number - 1] = lines[number - 1].replace("outcome=ok", "outcome=no")  # same length
    edited = "\n".join(lines) + "\n"
    web.audit_log.write_text(edited, encoding="utf-8")
    try:
        page.goto("/audit")
        assert f"校验失败：audit.log 第 {number} 行" in page.locator("main").inner_text()
    finally:  # the server's session-wide log, whole again for the other tests (with anything appended since)
        web.audit_log.write_text(
            original + web.audit_log.read_text(encoding="utf-8")[len(edited) :], encoding="utf-8"
        )
    page.goto("/audit")
    assert "校验链完好" in page.get_by_role("status").inner_text()


def test_status_page_shows_the_knowledge_base_and_the_llm_state(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["admin"])
    page.goto("/status")
    text = page.locator("main").inner_text()
    assert "份文档" in text
    assert "未配置 REPORTBOT_LLM_BASE_URL" in text  # no LLM in the test server: extractive answers
    assert "可用磁盘" in text
