"""提问 in a real browser: the mission question's cited answer streams in and [1] opens report 000's passage;
a question the reports cannot answer says so; 有用 is recorded for 问答记录; each question is one audit line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from playwright.sync_api import expect

from tests.web.support import audit_matches, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.web.support import WebServer

MISSION = "上半年手足口病防控做了什么"
ANSWER_SECONDS = 60_000


def ask(page: Page, question: str) -> None:
    page.get_by_label("问题").fill(question)
    page.get_by_role("button", name="提问").click()


def test_a_viewer_asks_the_mission_question_and_opens_citation_one(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["viewer"])
    assert page.url.endswith("/ask")
    ask(page, MISSION)

    answer = page.locator(".answer").last
    answer.wait_for(timeout=ANSWER_SECONDS)
    assert answer.locator(".state-label").inner_text() == "已找到答案"
    assert "摘录模式" in answer.inner_text()  # no LLM here: the extractive answer says so
    passage = answer.locator(".source", has=page.locator(".source-file")).first
    assert passage.is_hidden()

    answer.get_by_role("button", name="[1]", exact=True).first.click()

    shown = page.get_by_role("region", name="出处 [1]").last
    assert shown.is_visible()
    assert shown.locator(".source-file").inner_text().startswith("000")
    text = shown.locator(".passage").inner_text()
    assert "手足口病" in text
    assert shown.get_by_role("link", name="打开文档").count() == 0  # a viewer cannot open /docs

    answer.get_by_role("button", name="有用").click()
    expect(answer.locator(".feedback-result")).to_contain_text("已记录：有用")
    records = [
        json.loads(line) for line in (web.data_dir / "qa" / "questions.jsonl").read_text("utf-8").splitlines()
    ]
    asked = [r for r in records if r.get("question") == MISSION and r.get("user") == "viewer"]
    assert asked
    assert asked[-1]["frontend"] == "web"
    assert asked[-1]["state"] == "found"
    assert {"feedback": asked[-1]["id"], "user": "viewer", "useful": True}.items() <= records[-1].items()
    assert len(audit_matches(web.audit_lines(), "action=ask", "user=viewer", "outcome=answered")) >= 1


def test_a_question_the_reports_cannot_answer_shows_the_not_found_state(page: Page, web: WebServer) -> None:
    sign_in(page, web.users["viewer"])
    ask(page, "火星基地的氧气配额是多少")
    answer = page.locator(".answer").last
    answer.wait_for(timeout=ANSWER_SECONDS)
    assert answer.locator(".state-label").inner_text().startswith("未找到答案")
    assert answer.get_by_role("button", name="[1]", exact=True).count() == 0  # nothing is cited as an answer
    assert answer.get_by_role("heading", name="最接近的段落").is_visible()
    answer.locator("button.cite-label").first.click()  # the closest passage opens in place too
    assert page.get_by_role("region", name="最接近的段落 [1]").last.locator(".passage").inner_text().strip()
