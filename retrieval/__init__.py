"""Store, embeddings, hybrid search, answers, drafting and evaluation over the ingested reports."""
