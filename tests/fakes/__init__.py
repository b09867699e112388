"""Real local stand-ins for outside services (LLM endpoint, searcher) used across the test suite."""
