"""Docks and dialogs. They call core/ and hold no domain logic."""
