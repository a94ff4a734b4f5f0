"""Structured execution events: the event types and the records stored in the event log."""
