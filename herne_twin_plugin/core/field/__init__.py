"""Offline field inspections (issue 5): package, inspect offline, sync back, lose nothing.

The design, as far as it is built:

- ``journal``: every edit in a field package (a GeoPackage) is recorded by SQLite triggers
  in ``hernetwin_journal``, with the base values the inspector started from
  (``hernetwin_base``, snapshot at packaging time, moved forward only by a confirmed push).
  Triggers fire for any client (QGIS, OGR, QField, sqlite3) and commit with the edit, so the
  journal survives a crash. ``pending_changes`` collapses a feature's edits into one Change.
- ``merge``: a three-way merge per attribute (base, mine = field, theirs = server): edits
  that do not overlap merge by themselves, overlapping ones become FieldConflicts that a
  person resolves per field (mine, theirs or an edited value); nothing is overwritten silently.

Still to come (next sessions): packaging (``hernetwin:packagefield``), pulling server changes,
pushing with ETag / read-compare-write and per-feature receipts (``hernetwin:syncfield``),
attachments, the dry run, the wizard and conflict dialog.
"""
