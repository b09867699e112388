"""Renderings of answers, drafts, citations, sources and admin results for each kind of front end.

``telegram_html``: Telegram HTML messages under 4096 characters (``split`` cuts them at sentence ends);
``markdown``: markdown under WeCom's 20,480-byte stream limit; ``text`` and ``draft_text``: the CLI's plain text.
``labels`` holds what every format shares (citation labels, button labels and keys).
"""
