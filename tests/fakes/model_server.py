"""A real local HTTP server speaking a model server's embeddings and rerank protocols, scriptable per test.

- ``POST /v1/embeddings`` (and ``/embeddings``): OpenAI shape, ``{"data": [{"index", "embedding"}]}``;
- ``POST /rerank``: Text Embeddings Inference shape, ``{"query", "texts"}`` → ``[{"index", "score"}]``;
- ``POST /v1/rerank`` (and ``/v2/rerank``): Jina/Cohere shape as vLLM and Xinference serve it,
  ``{"model", "query", "documents", "top_n"}`` → ``{"results": [{"index", "relevance_score"}]}``.

Vectors come from ``embed`` (default: hashed character bigrams, ``dims`` wide, normalised) and rerank
scores from ``score`` (default: the share of the query's character bigrams found in the text); pass the
in-process model's functions to stand in for a real one. Faults are scripted with ``script(...)``: an HTTP
status, a delay, another dimension, fewer vectors than inputs, a junk body, for the next ``times`` requests
(or all). Every request is recorded; ``peak`` is the most requests ever handled at once.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Embed = Callable[[list[str], str], list[list[float]]]
Score = Callable[[str, str], float]


def bigram_vectors(texts: list[str], dims: int) -> list[list[float]]:
    """Deterministic normalised vectors: each character bigram hashed to a signed dimension."""
    out = []
    for text in texts:
        vec = [0.0] * dims
        for i in range(max(len(text) - 1, 1)):
            digest = hashlib.blake2b(text[i : i + 2].encode(), digest_size=4).digest()
            n = int.from_bytes(digest, "big")
            vec[n % dims] += 1.0 if n & 1 << 31 else -1.0
        norm = math.sqrt(sum(x * x for x in vec)) or 1.0
        out.append([x / norm for x in vec])
    return out


def bigram_overlap(query: str, text: str) -> float:
    """Share of the query's character bigrams that occur in ``text`` (0..1)."""
    grams = {query[i : i + 2] for i in range(len(query) - 1)} or {query}
    return sum(g in text for g in grams) / len(grams)


@dataclass
class Script:
    """What the server does; ``times`` = how many requests behave so before it is back to normal (None: all)."""

    status: int = 200
    delay: float = 0.0
    dims: int = 32
    drop: int = 0
    raw: bytes | None = None
    times: int | None = None


@dataclass
class ModelRequest:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeModelServer:
    """Start with ``start()`` (or as a context manager); ``url`` is ``http://127.0.0.1:PORT``."""

    def __init__(self, embed: Embed | None = None, score: Score | None = None) -> None:
        self.requests: list[ModelRequest] = []
        self.peak = 0
        self._active = 0
        self._embed = embed
        self._score = score or bigram_overlap
        self._normal = Script()
        self._script = Script()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-model", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def script(self, **options: Any) -> FakeModelServer:
        """Behave as ``Script(**options)`` from the next request on (``times`` limits it to that many)."""
        with self._lock:
            self._script = Script(**options)
            if options.get("times") is None:
                self._normal = replace(self._script)
        return self

    def take(self) -> Script:
        """The behaviour for one request (counting down a limited fault)."""
        with self._lock:
            current = self._script
            if current.times is not None:
                current.times -= 1
                if current.times <= 0:
                    self._script = replace(self._normal)
            return replace(current)

    def paths(self, suffix: str) -> list[ModelRequest]:
        """The requests whose path ends with ``suffix``."""
        return [r for r in self.requests if r.path.endswith(suffix)]

    def vectors(self, texts: list[str], kind: str, dims: int) -> list[list[float]]:
        return self._embed(texts, kind) if self._embed is not None else bigram_vectors(texts, dims)

    def score(self, query: str, text: str) -> float:
        return self._score(query, text)

    def enter(self) -> None:
        with self._lock:
            self._active += 1
            self.peak = max(self.peak, self._active)

    def leave(self) -> None:
        with self._lock:
            self._active -= 1

    def sleep(self, seconds: float) -> bool:
        """Wait ``seconds`` unless the server is closing; True when it is."""
        return self._stop.wait(seconds) if seconds > 0 else self._stop.is_set()

    def start(self) -> FakeModelServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: FakeModelServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out and hang up are expected here; stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode())

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {}
        owner = self.server.owner
        owner.requests.append(ModelRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        script = owner.take()
        owner.enter()
        try:
            if owner.sleep(script.delay):
                return
            self._reply(body, script)
        except (BrokenPipeError, ConnectionResetError):
            return
        finally:
            owner.leave()

    def _reply(self, body: dict[str, Any], script: Script) -> None:
        if script.status != 200:
            self._json(
                script.status, {"error": {"message": f"fake error {script.status}", "type": "server_error"}}
            )
            return
        if script.raw is not None:
            self._send(200, script.raw)
            return
        path = self.path.rstrip("/")
        if path.endswith("/embeddings"):
            self._json(200, self._embeddings(body, script))
        elif path in ("/v1/rerank", "/v2/rerank"):
            scores = self._scores(body.get("query", ""), body.get("documents", []))
            top = sorted(range(len(scores)), key=lambda i: -scores[i])[: body.get("top_n") or len(scores)]
            results = [
                {"index": i, "relevance_score": scores[i], "document": {"text": body["documents"][i]}}
                for i in top
            ]
            self._json(200, {"id": "rerank-1", "model": body.get("model", ""), "results": results})
        elif path == "/rerank":
            scores = self._scores(body.get("query", ""), body.get("texts", []))
            self._json(
                200,
                sorted(({"index": i, "score": s} for i, s in enumerate(scores)), key=lambda r: -r["score"]),
            )
        else:
            self._json(404, {"error": {"message": "unknown route", "type": "invalid_request_error"}})

    def _embeddings(self, body: dict[str, Any], script: Script) -> dict[str, Any]:
        texts = body.get("input", [])
        texts = [texts] if isinstance(texts, str) else list(texts)
        vectors = self.server.owner.vectors(texts, str(body.get("input_type", "")), script.dims)
        vectors = vectors[: len(vectors) - script.drop] if script.drop else vectors
        data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
        return {"object": "list", "data": data, "model": body.get("model", ""), "usage": {"prompt_tokens": 1}}

    def _scores(self, query: str, texts: list[str]) -> list[float]:
        return [self.server.owner.score(query, t) for t in texts]
