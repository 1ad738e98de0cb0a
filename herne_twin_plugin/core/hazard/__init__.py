"""Heavy rain (Starkregen): which buildings, street lights and sensors are at risk.

- ``scenarios``: Herne's three scenarios, the BKG's layers, the depth classes and bounds;
- ``exposure``: the computation (depth rasters read in blocks with numpy, depth-class
  polygons through prepared GEOS geometries); ``geometry``: its numpy geometry;
- ``sources``: QGIS layers in, notes for the user out (``run_exposure``);
- ``output``: the exposure fields on the assets' features;
- ``summary``: counts per district and class;
- ``street_lights``: inspection state and the priority list; ``sensors``: gauges' and
  rain sensors' thresholds in a scenario;
- ``identify``: GetFeatureInfo answers as depth (cm) or speed (m/s);
- ``hazard_layers``: the hazard map services and local depth data, one step away;
- ``view_3d``: buildings coloured by depth class in 3D.

The Processing algorithm ``hernetwin:hazardexposure`` (processing/) runs it; map styles
live in core/styles.py.
"""
