"""The chat session API driven with no chat platform at all: access, rate limit, audit, follow-ups, citations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat import AccessDecision, AskReply, ChatKind, ChatService
from bot.chat.render.labels import citation_key, parse_citation_key
from tests.bot.chat.conftest import ADMIN, GROUP, STRANGER, USER, audit_lines, private

if TYPE_CHECKING:
    from pathlib import Path


async def ask(chat: ChatService, who, question: str) -> AskReply:
    delivered: list[AskReply] = []

    async def deliver(reply: AskReply) -> None:
        delivered.append(reply)

    reply = await chat.ask(who, question, None, deliver)
    assert delivered == [reply]  # shown exactly once, before ask returns
    return reply


def test_strangers_are_told_their_id_once_and_every_attempt_audited(
    chat: ChatService, tmp_path: Path
) -> None:
    stranger = private(chat, STRANGER)
    assert chat.check(stranger, "ask") is AccessDecision.STRANGER
    first = chat.refuse(stranger, AccessDecision.STRANGER, "ask", "上半年做了什么？")
    again = chat.refuse(stranger, AccessDecision.STRANGER, "ask", "再问一次")
    assert first.text == f"抱歉，您还没有使用权限。您的用户 ID 是 {STRANGER}，请把它发给管理员开通。"
    assert first.id_shown == STRANGER
    assert again.text is None
    denied = [line for line in audit_lines(tmp_path) if "outcome=denied" in line]
    assert len(denied) == 2
    assert f"frontend=wecom user={STRANGER} chat={STRANGER} action=ask outcome=denied" in denied[0]
    assert 'what="再问一次"' in denied[1]
    group = chat.requester(STRANGER, "otherGroup", ChatKind.GROUP)
    assert chat.refuse(group, chat.check(group, "ask"), "ask").text == (
        "本群尚未开通问答。群 ID 是 otherGroup，请管理员将其加入允许列表。"
    )


def test_admin_actions_need_an_admin_in_a_private_chat(chat: ChatService, tmp_path: Path) -> None:
    user, admin = private(chat, USER), private(chat, ADMIN)
    in_group = chat.requester(ADMIN, GROUP, ChatKind.GROUP)
    assert chat.check(user, "ask") is AccessDecision.ALLOW
    assert chat.check(admin, "reindex") is AccessDecision.ALLOW
    assert chat.check(chat.requester(USER, GROUP, ChatKind.GROUP), "ask") is AccessDecision.ALLOW
    assert chat.check(user, "delete") is AccessDecision.ADMIN_ONLY
    assert (
        chat.refuse(user, AccessDecision.ADMIN_ONLY, "delete", "/delete a.txt").text == "该操作仅限管理员。"
    )
    assert chat.check(in_group, "docs") is AccessDecision.PRIVATE_ONLY
    assert (
        chat.refuse(in_group, AccessDecision.PRIVATE_ONLY, "docs").text
        == "请在与机器人的私聊中使用管理功能。"
    )
    assert (
        chat.refuse(in_group, AccessDecision.PRIVATE_ONLY, "upload").text is None
    )  # files in groups are no uploads
    assert any(
        f'user={USER} chat={USER} action=delete outcome=refused what="/delete a.txt"' in line
        for line in audit_lines(tmp_path)
    )
    assert not chat.is_admin(user)


def test_rate_limit_tells_once_then_drops(chat: ChatService, tmp_path: Path) -> None:
    user = private(chat, USER)
    assert [chat.admit(user, "ask", f"问题{i}") for i in range(5)] == [None] * 5
    notice = chat.admit(user, "ask", "问题6")
    assert notice is not None
    assert notice.startswith("您的请求太频繁了，请 ")
    assert notice.endswith("秒后再试（每人每分钟最多 5 次）。")
    assert chat.admit(user, "ask", "问题7") == ""
    assert chat.admit(private(chat, ADMIN), "ask", "别人的问题") is None  # per user
    limited = [line for line in audit_lines(tmp_path) if "outcome=rate_limited" in line]
    assert len(limited) == 2


async def test_cited_answer_is_audited_and_its_citation_can_be_opened(
    chat: ChatService, tmp_path: Path
) -> None:
    user = private(chat, USER)
    reply = await ask(chat, user, "上半年手足口病防控培训开展了几次？")
    assert reply.answer is not None
    assert reply.answer.found
    assert "6次" in reply.answer.text
    assert reply.answer_id is not None
    key = citation_key(reply.answer_id, 1)
    citation = chat.citation(user, *parse_citation_key(key))  # type: ignore[misc]
    assert citation is not None
    assert "覆盖托幼机构85所" in citation.text
    assert citation.heading == "一、主要工作完成情况 › （一）传染病防控"
    assert chat.citation(user, reply.answer_id + 1, 1) is None  # no such answer
    assert chat.citation(private(chat, ADMIN), reply.answer_id, 1) is None  # another chat's answer
    kept = chat.last_sources(user)
    assert kept is not None
    assert kept.citations == tuple(reply.answer.citations)
    assert chat.last_sources(private(chat, ADMIN)) is None
    [line] = [line for line in audit_lines(tmp_path) if "action=ask" in line]
    assert f"frontend=wecom user={USER} chat={USER} action=ask outcome=answered" in line
    assert "mode=extractive" in line
    assert chat.audit.questions_answered == 1


async def test_follow_up_uses_the_chats_own_history(chat: ChatService) -> None:
    user, other = private(chat, USER), private(chat, ADMIN)
    first = await ask(chat, user, "为60岁以上老人接种流感疫苗多少剂次？")
    assert first.answer is not None
    assert "1.5万剂次" in first.answer.text
    follow_up = await ask(chat, user, "还有呢？")
    assert follow_up.answer is not None
    assert follow_up.answer.found
    assert any("流感防控" in c.heading for c in follow_up.answer.citations)
    alone = await ask(chat, other, "还有呢？")  # a chat with no history: nothing to follow up on
    assert alone.answer is not None
    assert not any("流感防控" in c.heading for c in alone.answer.citations)
    assert list(chat.conversation(user).history) == ["为60岁以上老人接种流感疫苗多少剂次？", "还有呢？"]


async def test_help_texts_for_users_and_admins(chat: ChatService) -> None:
    user_help = chat.help_text(private(chat, USER), "报告助手", 10)
    admin_help = chat.help_text(private(chat, ADMIN), "报告助手", 10)
    assert "在群里请 @报告助手 提问" in user_help
    assert "/reindex" not in user_help
    assert admin_help.startswith(user_help)
    assert "不超过 10 MB" in admin_help
