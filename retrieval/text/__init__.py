"""Text: normalising, sentences, words and synonyms, figures, and the instruction-like text a document may hide.

The bottom of retrieval: these modules import nothing else of it but ``retrieval.types``.
"""
