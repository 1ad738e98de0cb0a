"""Offline field inspections (issue 5): package, inspect offline, sync back, lose nothing.

- ``manifest``: what a package holds and which service each layer came from (key, schema).
- ``precheck`` / ``package``: every reason a layer would not sync safely, listed before
  anything is copied; ``make_package`` copies an area through the transports into one
  GeoPackage with the inspection layer, basemap (``basemap``), sensor snapshot, hazard
  layers and an offline project (``offline_project``). Processing: hernetwin:packagefield.
- ``inspection`` / ``attachments``: the inspection layer and its QGIS form; photos under
  safe names in DCIM/, uploaded once to a shared folder or an HTTP endpoint.
- ``journal``: SQLite triggers record every edit with the base the inspector started from;
  changes the sync applies from the server are not journaled (guard table).
- ``merge`` / ``conflicts``: three-way merge per attribute; overlaps become open conflicts,
  decided per field (mine, theirs, an edited value), never overwritten silently.
- ``sync`` / ``receipts`` / ``package_store``: pull, merge, push in batches, confirm per
  feature in one SQLite transaction with a receipt; a run killed anywhere and run again
  ends as one uninterrupted run. Processing: hernetwin:syncfield (with a dry run).
- ``transports``: the single path to the servers (WFS-T 1.1/2.0, OGC API Features Part 4
  with ETag or read-compare-write, PostGIS compare-and-set), all HTTP through QGIS networking.
- ``online_edit``: a WFS / OGC API layer edited directly in QGIS is compared with the
  server before its edits are saved.
"""
