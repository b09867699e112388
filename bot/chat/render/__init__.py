"""Renderings of answers, drafts, citations, sources and admin results for each kind of front end.

``view``: the one chat renderer, walking each structure once; ``markup``: how each chat format escapes, marks and
counts (Telegram HTML, WeCom and DingTalk markdown); ``split``: the one cutter (sentence units, packing).
``telegram_html`` and ``markdown``: the renderer bound to each markup, under 4096 characters (Telegram) or
the markdown front end's byte budget (WeCom's 20,480-byte stream limit, DingTalk's 6,000 bytes). ``text`` and ``draft_text``: the CLI's plain text; ``docx`` with
``docx_layout``: a draft as a 公文-style .docx. ``labels`` holds what every format shares (section titles,
citation labels, button labels and keys).
"""
