"""Store: the chunk store (Chroma, embedded or server), embeddings, and the lexical index kept in step with it.

Writes go through one file-locked path and are rolled back on failure; readers see whole documents only.
"""
