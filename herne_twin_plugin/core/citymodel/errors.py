"""What can go wrong in an import, at the level where it happens.

A ``TileError`` stops one tile (not well-formed, wrong namespace, no coordinate
system, refused as hostile): nothing of that tile is written. A
``BuildingFailure`` stops one building: it is listed in ``import_failures``
with its reason and the rest of the tile goes on. Reasons are translated
sentences for the user; ``detail`` keeps the parser's own words for the log.
"""


class CityModelError(Exception):
    """Base class: ``reason`` is the user's sentence (translated)."""

    def __init__(self, reason, detail=None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class TileError(CityModelError):
    """The whole tile (file) cannot be imported."""


class BuildingFailure(CityModelError):  # noqa: N818 (it is listed, not raised to the user)
    """One building cannot be imported; the tile goes on."""


class ImportCanceled(Exception):  # noqa: N818 (a cancel is not an error)
    """The user canceled; every tile written so far is complete, the current one was rolled back."""
