"""The chat core: everything a chat front end needs that is not the chat platform.

A front end (``bot/telegram``, ``bot/wecom``, ``bot/dingtalk``) only extracts input, calls this API and
delivers the result. How a new front end uses it:

1. Once per process: ``core = ChatCore(services, settings.data_dir, settings.rate_limit_per_minute)``
   (one audit log, one ingest lock and one set of admin operations for every front end).
2. Per front end: ``chat = core.frontend("wecom", AccessPolicy.from_ids(users, groups, admins))``;
   ids are plain strings.
3. Per incoming message: ``who = chat.requester(user_id, chat_id, ChatKind.PRIVATE | GROUP)``, then
   ``verdict = chat.check(who, action)`` (``ask``, ``draft``, ``button``, ``upload``, ``docs``, ``delete``,
   ``reindex``, ``stats``, …); if it is not ``Verdict.ALLOW``, send ``chat.refuse(who, verdict, action, what).text``
   (None: say nothing). Questions and drafts then pass ``chat.admit(who, action, what)`` (the rate limit:
   None = go on, a text = tell the user, "" = drop silently).
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
   - admins: ``chat.documents()``, ``chat.delete(who, ref)``, ``chat.start_reindex(who, progress, report)``
     (background; ``progress(done, total, source)`` from a worker thread), ``chat.stats()``.
   - uploads: ``chat.check_upload(who, name, declared_size)`` before downloading (a ``refusal`` text means
     stop), download at most ``chat.max_upload_bytes`` (``bot.chat.download.read_within`` for an HTTP link), then
     ``await chat.upload(who, checked, data)`` (content check, ingest, rollback of a failed replacement) and show
     ``result.text``; a file that did not arrive is a typed ``UploadError`` (``DownloadError``,
     ``FileTooLargeError``): show ``chat.upload_failed(who, name, error)``.
5. Texts with ``**bold**`` marks (``texts``) are turned into each format's bold by its renderer.
6. Markdown front ends (WeCom, DingTalk) share the slash commands of ``bot.chat.commands`` (``/help``,
   ``/sources``, ``/docs``, ``/delete``, ``/stats``, ``/reindex``) through a small ``CommandContext`` of their own,
   ``chat.seen`` (``SeenMessages``) for messages a platform delivers twice, and
   ``render.markdown.render_refusal`` for a stranger's notice.

Delivery policy (``bot.chat.delivery``, ``bot.chat.flood``), for every front end:

- send each message with ``await delivery.paced(chat.flood, chat_id, send, classify, chat.delivery)``: it waits
  for the flood limits (``chat.flood``, per chat / group / overall; a front end passes its platform's
  ``FloodLimits`` to ``core.frontend``), then retries transient failures until ``chat.delivery.deadline``;
  ``classify(exc)`` is the front end's: ``Transient(retry_after)`` to retry, None when retrying cannot help.
  Giving up raises ``DeliveryFailed``.
- a ``deliver`` callback that raises is audited as ``failed``, and awaited once more with a short notice
  (``reply.error``, bounded by ``delivery.notice_deadline``): send that as a new message.
- shutdown: stop receiving, then ``await core.drain(grace_seconds)``: answers in flight finish or are cut
  (their ``deliver`` gets ``texts.CUT``); questions arriving meanwhile get ``texts.SHUTTING_DOWN``.
- admin reads pass the requester to be audited: ``chat.documents(who)``, ``chat.stats(who)``.
- build the core with ``ChatCore.from_settings(services, settings)`` (LLM concurrency, delivery deadline).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.chat.access import AccessPolicy, ChatKind, Verdict
    from bot.chat.service import ChatCore, ChatService
    from bot.chat.types import AskReply, DraftReply, Refusal, Requester

# Loaded on first use, so that ``bot.chat.texts`` (``reportbot ask``) does not import the chat service and,
# through it, the upload stack (ingest's loaders, bs4: ~0.16 s).
_HOME = {
    "AccessPolicy": "bot.chat.access",
    "ChatKind": "bot.chat.access",
    "Verdict": "bot.chat.access",
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
    "AccessPolicy",
    "AskReply",
    "ChatCore",
    "ChatKind",
    "ChatService",
    "DraftReply",
    "Refusal",
    "Requester",
    "Verdict",
]
