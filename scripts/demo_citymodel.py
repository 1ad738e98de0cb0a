#!/usr/bin/env python3
"""The demo's city model part: the sample city's LoD2 tiles in 2D and 3D.

``show_city_model(sample_dir, out_dir, project)`` (called by scripts/demo.py, inside its
running QgsApplication):

1. imports the sample's CityGML tiles with ``hernetwin:importcitymodel`` into
   ``<out_dir>/herne_citymodel.gpkg`` (once; again only when the tiles are newer);
2. adds the city model to the project as one group, styled: footprints by building
   function in 2D, roofs and walls in 3D (core/citymodel_view);
3. renders the 3D view (roofs and walls, street lights, sensor stations, Starkregen draped)
   into ``<out_dir>/herne_3d.png`` under Xvfb (scripts/view3d.py). Without Xvfb or OpenGL the
   demo goes on without the picture and says why.

Standalone:  python scripts/demo_citymodel.py [--sample build/sample] [--out build/demo]
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (ROOT, os.path.join(ROOT, "scripts")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import view3d  # noqa: E402

PNG_NAME = "herne_3d.png"


def step(text):
    print("demo: " + text, flush=True)


def show_city_model(sample_dir, out_dir, project, footprint_style="function", render=True, timeout=300):
    """Import, add and render the sample city model; returns a dict with ``geopackage``,
    ``layers`` ({name: layer} of core/citymodel_view/city_model_layers), ``buildings``,
    ``png`` (None where no picture was made) and ``png_problem`` (why not, or None)."""
    from herne_twin_plugin.core.citymodel_view.city_model_layers import BUILDINGS, add_city_model_layers

    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    view3d.ensure_sample(sample_dir)
    citygml_dir = os.path.join(sample_dir, "citygml")
    gpkg = os.path.join(out_dir, view3d.CITY_MODEL_NAME)
    if view3d.city_model_is_current(gpkg, citygml_dir):
        step("city model up to date: " + gpkg)
    else:
        view3d.import_city_model(citygml_dir, gpkg)
    layers = add_city_model_layers(gpkg, project, footprint_style=footprint_style)
    buildings = layers[BUILDINGS].featureCount()
    step("city model: {} LoD2 buildings (footprints in 2D, roofs and walls in 3D)".format(buildings))
    result = {"geopackage": gpkg, "layers": layers, "buildings": buildings, "png": None, "png_problem": None}
    if render:
        try:
            result["png"] = view3d.render_png(sample_dir, gpkg, os.path.join(out_dir, PNG_NAME), timeout=timeout)
            step("3D view: " + result["png"])
        except view3d.View3DError as error:
            result["png_problem"] = str(error)
            step("no 3D view picture: {}".format(error))
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default=view3d.DEFAULT_SAMPLE)
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "demo"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    try:
        result = show_city_model(args.sample, args.out, QgsProject.instance())
    except view3d.View3DError as error:
        print("demo: " + str(error), file=sys.stderr)
        return 1
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
    return 0 if result["png"] else 2


if __name__ == "__main__":
    sys.exit(main())
