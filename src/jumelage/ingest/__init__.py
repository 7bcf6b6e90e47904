"""Ingest: find new or corrected inbox files, archive them, read them into string frames."""
