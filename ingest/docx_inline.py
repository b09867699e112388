"""Inline XML in a Word paragraph that python-docx would drop together with the text around it.

- An entity reference (``&xxe;``, declared in a DOCTYPE) is never resolved (python-docx parses with
  ``resolve_entities=False``, so nothing is fetched or read: XXE-safe), but python-docx then reads a ``<w:t>`` only
  up to the entity node and silently loses the rest of the sentence. The node is removed and the text after it
  kept.
- A simple field (``<w:fldSimple>``: a document property, a date) shows its result runs in Word, but python-docx
  reads only a paragraph's direct runs. The field is unwrapped so its result reads like any run (and is judged
  like any text: ``retrieval.text.injection`` quarantines an instruction inside it).
"""

from __future__ import annotations

import logging
from typing import Any

from lxml import etree

__all__ = ["flatten_inline"]

log = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _remove_keeping_tail(node: Any) -> None:
    parent = node.getparent()
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def flatten_inline(body: Any) -> None:
    """Drop entity references (keeping the text after them) and unwrap simple fields, in place."""
    entities = list(body.iter(etree.Entity))
    for node in entities:
        _remove_keeping_tail(node)
    fields = list(body.iter(f"{_W}fldSimple"))
    for field in fields:
        parent = field.getparent()
        index = parent.index(field)
        for offset, child in enumerate(list(field)):
            parent.insert(index + offset, child)
        _remove_keeping_tail(field)
    if entities or fields:
        log.info("docx inline entities=%s fields=%s", len(entities), len(fields))
