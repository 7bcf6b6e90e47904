"""Validate: normalize the ingested rows, check them, and keep every failure with its reasons."""
