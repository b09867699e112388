"""Reading, cleaning, splitting and writing reports into the knowledge base (``IngestService`` is the only writer)."""
