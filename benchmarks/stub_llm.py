"""A local stand-in for an OpenAI-compatible LLM, for ``reportbot eval --mode llm`` without a real model.

The "model" is deterministic and grounded: from the numbered passages in the prompt it picks the (at most
two) sentences sharing the most character bigrams with the question and returns them, each with its
``[n]`` marker; with no overlap it answers "资料中未找到…". It measures the LLM path (prompt building,
HTTP, marker parsing and checking, fallbacks), not the quality of any real model.

    python benchmarks/stub_llm.py --port 8765 &
    REPORTBOT_LLM_BASE_URL=http://127.0.0.1:8765/v1 REPORTBOT_LLM_API_KEY=stub \
        reportbot eval eval/questions.jsonl --mode llm --data-dir /tmp/evaldata
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrieval.text.normalize import normalize

NOT_FOUND = "资料中未找到与该问题直接相关的内容。"
# prompts/answer_passage.txt: "[n] 出处：《title》 heading" then the text; the fence's end carries a random tag
_PASSAGE = re.compile(
    r"^\[(\d+)\] 出处：《[^》\n]*》[^\n]*\n(.*?)(?=^\[\d+\] 出处：《|<<<资料结束|\Z)", re.S | re.M
)
_SENTENCE = re.compile(r"[^。！？；\n]+")
_CJK = re.compile(r"[\u4e00-\u9fff0-9]")
MAX_SENTENCES = 2
MIN_SHARED_BIGRAMS = 2


def _bigrams(text: str) -> set[str]:
    chars = "".join(_CJK.findall(normalize(text)))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def grounded_reply(user_message: str) -> str:
    """The stub model's answer to one user message of the answer prompt."""
    question = user_message.rsplit("问题：", 1)[-1].strip()
    wanted = _bigrams(question)
    scored = []
    for m in _PASSAGE.finditer(user_message):
        n = int(m.group(1))
        for sentence in _SENTENCE.findall(m.group(2)):
            sentence = sentence.strip()
            shared = len(wanted & _bigrams(sentence))
            if sentence and shared >= MIN_SHARED_BIGRAMS:
                scored.append((-shared, n, sentence))
    if not scored:
        return NOT_FOUND
    return "".join(f"{sentence}[{n}]。" for _, n, sentence in sorted(scored)[:MAX_SENTENCES])


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _json(self, status: int, obj: Any) -> None:
        payload = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._json(200, {"object": "list", "data": [{"id": "stub", "object": "model", "owned_by": "local"}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        user = next((m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"), "")
        text = grounded_reply(user if isinstance(user, str) else "")
        base = {"id": "stub-1", "created": int(time.time()), "model": body.get("model", "stub")}
        if not body.get("stream"):
            choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            self._json(200, {**base, "object": "chat.completion", "choices": [choice]})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for delta, finish in (({"role": "assistant", "content": text}, None), ({}, "stop")):
            chunk = {
                **base,
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            self.wfile.write(b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), _Handler)
    print(f"stub LLM at http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
