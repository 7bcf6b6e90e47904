"""Lifecycle: events applied to proposals, relationships and participants; follow-up flags."""
