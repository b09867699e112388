"""The audit log: one line per event, free text quoted, answered questions counted across restarts."""

from __future__ import annotations

from bot.chat.audit import AuditLog


def test_one_line_per_event_with_free_text_quoted(tmp_path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    log.record(
        user_id=7, chat_id=7, action="ask", outcome="answered", what="上半年\n做了 什么？", mode="extractive"
    )
    log.record(user_id=9, chat_id=9, action="delete", outcome="unknown", what="a b.txt")
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ts=20")
    assert lines[0].endswith(
        ' user=7 chat=7 action=ask outcome=answered what="上半年 做了 什么？" mode=extractive'
    )
    assert lines[1].endswith(' user=9 chat=9 action=delete outcome=unknown what="a b.txt"')


def test_questions_answered_survive_a_restart(tmp_path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.record(user_id=1, chat_id=1, action="ask", outcome="answered", what="q1")
    log.record(user_id=1, chat_id=1, action="ask", outcome="not_found", what="q2")
    log.record(user_id=1, chat_id=1, action="ask", outcome="rate_limited", what="q3")
    log.record(user_id=1, chat_id=1, action="upload", outcome="answered", what="x")
    assert log.questions_answered == 2
    assert AuditLog(path).questions_answered == 2


def test_long_questions_are_shortened(tmp_path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    log.record(user_id=1, chat_id=1, action="ask", outcome="error", what="问" * 1000)
    assert (tmp_path / "audit.log").read_text(encoding="utf-8").count("问") == 200


def test_each_front_end_stamps_its_lines_and_answered_questions_are_counted_together(tmp_path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    telegram, wecom = log.for_frontend("telegram"), log.for_frontend("wecom")
    telegram.record(user_id=7, chat_id=7, action="ask", outcome="answered", what="q1")
    wecom.record(user_id="zhang.san", chat_id="zhang.san", action="ask", outcome="not_found", what="q2")
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert " frontend=telegram user=7 chat=7 action=ask " in lines[0]
    assert " frontend=wecom user=zhang.san chat=zhang.san action=ask " in lines[1]
    assert telegram.questions_answered == wecom.questions_answered == log.questions_answered == 2
