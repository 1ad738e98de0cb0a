"""Domain logic of the Herne twin. May use qgis.core, never qgis.gui or QtWidgets."""
