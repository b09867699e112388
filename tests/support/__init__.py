"""Helpers the test modules share (imported from here, never from ``conftest.py``)."""
