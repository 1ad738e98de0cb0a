"""The city model and the twin's layers in 2D and 3D.

- ``buildings_3d``: roofs and walls of the LoD2 buildings in their colours;
- ``assets_3d``: street lights and sensor stations as 3D symbols at their height;
- ``hazard_3d``: Starkregen depth classes draped on the terrain;
- ``scene``: a 3D map (Qgs3DMapSettings) of Herne with terrain, sky, sun and camera;
- ``render``: a 3D map rendered to an image without a window (needs OpenGL);
- ``city_model_layers``: an imported city model added to a project, styled;
- ``city_model_files``: is a dropped file CityGML or CityJSON?

2D styles live with the others in ``core/styles.py``. Everything here is core: it uses
``qgis.core`` and ``qgis._3d`` (QGIS's 3D library), never widgets.
"""
