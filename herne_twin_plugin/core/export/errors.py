"""The one error type of map and atlas export; its message is for the user."""


class MapExportError(Exception):
    """An export that could not be made or written; the message says why, in the user's terms."""
