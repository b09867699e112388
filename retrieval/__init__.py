"""Retrieval over the ingested reports, in rooms along the pipeline; each imports only those before it.

``text`` (normalising, words, injection) ← ``store`` (chunks, embeddings, lexical index) ← ``search``
(hybrid search, question analysis) ← ``answers`` (answer service, verification, citations) ← ``drafting`` ←
``evaluation``. At the root: the shared value types, errors, the LLM client and the endpoints' HTTP helper.
"""
