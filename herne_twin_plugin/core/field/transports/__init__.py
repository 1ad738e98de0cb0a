"""Transports: the single path by which field edits reach the city's servers (base.py has the interface)."""

from .base import FieldTransport, ServerFeature, TransportError, normalise_value  # noqa: F401
