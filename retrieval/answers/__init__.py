"""Answers: the answer service, its LLM chain and extractive fallback, citations and sentence-by-sentence checks.

Every sentence delivered is verified against the passages it cites (``verify``), whatever the model wrote.
"""
