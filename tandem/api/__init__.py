"""The OpenAI-compatible HTTP API (FastAPI). A thin shell: nothing in tandem imports it."""
