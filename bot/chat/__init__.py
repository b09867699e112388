"""The chat core: everything a chat front end needs that is not the chat platform.

A front end (``bot/telegram``, ``bot/wecom``, ``bot/dingtalk``) only extracts input, calls this API and
delivers the result. How a new front end uses it:

1. Once per process: ``core = ChatCore.from_settings(services, settings)`` (one audit log, one ingest lock,
   one set of admin operations, the LLM pool and the delivery deadline for every front end).
2. Per front end: ``chat = core.frontend("wecom", AccessPolicy.from_ids(users, groups, admins), limits)``;
   ids are plain strings, ``limits`` the platform's ``FloodLimits`` (``bot.chat.flood``).
3. Per incoming message: ``who = chat.requester(user_id, chat_id, ChatKind.PRIVATE | GROUP)``, then
   ``decision = chat.check(who, action)`` (``ask``, ``draft``, ``button``, ``upload``, ``docs``, ``delete``,
   ``reindex``, ``stats``, …); if it is not ``AccessDecision.ALLOW``, send
   ``chat.refuse(who, decision, action, what).text`` (None: say nothing). Questions and drafts then pass
   ``chat.admit(who, action, what)`` (the rate limit: None = go on, a text = tell the user, "" = drop silently).
4. Call the operation and render what it returns with ``bot.chat.render`` (``telegram_html``, ``markdown``,
   ``text``):
   - ``await chat.ask(who, question, on_delta, deliver)``: ``on_delta`` gets streamed text from a worker
     thread; ``deliver(AskReply)`` is awaited to show the answer (or ``reply.error``), then it is audited.
     Citation buttons carry ``render.labels.citation_key(reply.answer_id, n)``; on a press,
     ``chat.citation(who, *parse_citation_key(key))`` gives the passage (None: ``texts.EXPIRED``).
     A platform that can edit a sent message streams through ``bot.chat.live.LiveView`` (give it ``on_delta``
     as ``push_threadsafe``, a ``show`` coroutine that sends or edits, and ``stop()`` it in ``deliver``).
   - ``await chat.draft(who, request, deliver)``: ``DraftReply`` with the draft, its .docx and file name.
   - ``chat.last_sources(who)`` (``/sources``), ``chat.help_text(who, mention, max_upload_mb)``, ``texts.START``.
   - admins: ``chat.documents(who)``, ``chat.delete(who, ref)``, ``chat.start_reindex(who, progress, report)``
     (background; ``progress(done, total, source)`` from a worker thread), ``chat.stats(who)``; the reads
     are audited as ``who``.
   - uploads: ``chat.check_upload(who, name, declared_size)`` before downloading (a ``refusal`` text means
     stop), download at most ``chat.max_upload_bytes`` (``bot.chat.download.read_within`` for an HTTP link), then
     ``await chat.upload(who, checked, data)`` (content check, ingest, rollback of a failed replacement) and show
     ``result.text``; a file that did not arrive is a typed ``UploadError`` (``DownloadError``,
     ``FileTooLargeError``): show ``chat.upload_failed(who, name, error)``.
5. Texts with ``**bold**`` marks (``texts``) are turned into each format's bold by its renderer.
6. Markdown front ends (WeCom, DingTalk) share the slash commands of ``bot.chat.commands`` (``/start``,
   ``/help``, ``/sources``, ``/docs``, ``/delete``, ``/stats``, ``/reindex``): the front end adds its
   ``/draft``, keeps them in a ``CommandSet`` and runs one with a ``Channel`` of its own (how a reply and a
   later notice reach the chat). ``bot.chat.seen.SeenMessages`` drops a message a platform delivers twice, and
   ``render.markdown.render_refusal`` renders a stranger's notice.
7. A front end on an outbound WebSocket (WeCom, DingTalk) subclasses ``bot.chat.connection.LongConnection``:
   it writes how to open and serve one connection; ``run``/``stop``/``wait_ready``, the reconnect backoff,
   the handler tasks and the JSON frames (``encode``/``decode``) are the core's.

Delivery policy (``bot.chat.delivery``, ``bot.chat.flood``), for every front end:

- send each message with ``await delivery.paced(chat.flood, chat_id, send, classify, chat.delivery)``: it waits
  for the flood limits (``chat.flood``, per chat / group / overall), then retries transient failures until
  ``chat.delivery.deadline``; ``classify(exc)`` is the front end's: ``Transient(retry_after)`` to retry, None
  when retrying cannot help. Giving up raises ``DeliveryFailed``.
- a ``deliver`` callback that raises is audited as ``failed``, and awaited once more with a short notice
  (``reply.error``, bounded by ``delivery.notice_deadline``): send that as a new message.
- shutdown: stop receiving, then ``await core.drain(grace_seconds)``: answers in flight finish or are cut
  (their ``deliver`` gets ``texts.CUT``); questions arriving meanwhile get ``texts.SHUTTING_DOWN``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.chat.access import AccessDecision, AccessPolicy, ChatKind
    from bot.chat.service import ChatCore, ChatService
    from bot.chat.types import AskReply, DraftReply, Refusal, Requester

# Loaded on first use, so that ``bot.chat.texts`` (``reportbot ask``) does not import the chat service and,
# through it, the upload stack (ingest's loaders, bs4: ~0.16 s).
_HOME = {
    "AccessDecision": "bot.chat.access",
    "AccessPolicy": "bot.chat.access",
    "ChatKind": "bot.chat.access",
    "ChatCore": "bot.chat.service",
    "ChatService": "bot.chat.service",
    "AskReply": "bot.chat.types",
    "DraftReply": "bot.chat.types",
    "Refusal": "bot.chat.types",
    "Requester": "bot.chat.types",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        msg = f"module 'bot.chat' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(home), name)


__all__ = [
    "AccessDecision",
    "AccessPolicy",
    "AskReply",
    "ChatCore",
    "ChatKind",
    "ChatService",
    "DraftReply",
    "Refusal",
    "Requester",
]
