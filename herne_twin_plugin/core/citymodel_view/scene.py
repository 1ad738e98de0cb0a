"""A 3D map of the twin: EPSG:25832, terrain at Herne's height, sky, sun and shadows.

QGIS 3.22's Python API cannot set a terrain generator, shadows or a camera directly, so
the settings are built the way a project stores them (the ``<qgis3d>`` element that
Qgs3DMapSettings.readXml reads) and finished with the setters that do exist.

The terrain is always a DEM: a flat terrain with an elevation offset breaks QGIS 3.22's
near/far plane estimate (it assumes the flat terrain at 0 m, so buildings at Herne's
60-100 m are clipped away in close views). A flat terrain is therefore a tiny constant
raster at the ground height, kept in GDAL's in-memory file system.
"""

import logging
import math
from xml.sax.saxutils import quoteattr

from osgeo import gdal, osr
from qgis._3d import Qgs3DMapSettings, QgsCameraPose
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsRasterLayer,
    QgsReadWriteContext,
    QgsRectangle,
    QgsVector3D,
)
from qgis.PyQt.QtXml import QDomDocument

from ..i18n import tr
from .symbols_3d import world_axes

LOG = logging.getLogger(__name__)

CITY_CRS = "EPSG:25832"
DEFAULT_GROUND_HEIGHT = 60.0  # m DHHN2016, Herne's middle ground (40 m Emscher valley, 100 m south)
SKY_COLOUR = "#d6e6f2"
GROUND_COLOUR = "#dfe3d6"  # what the terrain shows where no 2D layer draws
# The sun from the south-west, 35 degrees high, and a weak cool fill light from the north-east.
SUN = ((0.6, 0.8, -0.7), "#fff8ec", 0.75)
FILL = ((-0.5, -0.4, -0.35), "#dce8f5", 0.3)
DEM_TILE_RESOLUTION = 32  # terrain grid cells per tile
DEM_SKIRT_HEIGHT = 5.0


class SceneError(ValueError):
    """A 3D map that cannot be set up; the message is for the user."""


def flat_terrain_layer(extent, height=DEFAULT_GROUND_HEIGHT, name=None):
    """A raster layer of constant ``height`` over ``extent`` (EPSG:25832), in memory."""
    extent = _checked_extent(extent)
    if not isinstance(height, (int, float)) or not math.isfinite(height):
        raise SceneError(tr("The ground height must be a number of metres, not {!r}.").format(height))
    path = "/vsimem/herne_twin/flat_terrain_{:.0f}_{:.0f}_{:.0f}_{:.0f}_{:.2f}.tif".format(
        extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum(), height)
    gdal.AllRegister()  # QgsApplication.exitQgis() deregisters GDAL's drivers
    dataset = gdal.GetDriverByName("GTiff").Create(path, 2, 2, 1, gdal.GDT_Float32)
    dataset.SetGeoTransform((extent.xMinimum(), extent.width() / 2, 0.0,
                             extent.yMaximum(), 0.0, -extent.height() / 2))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(25832)
    dataset.SetProjection(srs.ExportToWkt())
    dataset.GetRasterBand(1).Fill(float(height))
    dataset = None  # flush
    layer = QgsRasterLayer(path, name or tr("Flat terrain at {height:g} m").format(height=height), "gdal")
    if not layer.isValid():
        raise SceneError(tr("Could not create the flat terrain raster."))
    return layer


def city_map_settings(project, extent, layers, terrain=None, ground_height=DEFAULT_GROUND_HEIGHT,
                      shadows=True, terrain_map_theme=None):
    """Qgs3DMapSettings for ``layers`` (2D layers drape on the terrain, layers with a 3D renderer
    stand on it) over ``extent``.

    ``terrain`` is a DEM raster layer (heights in m); without one the terrain is flat at
    ``ground_height``. The terrain layer is added to ``project`` (outside the layer tree)
    where it is not in it, because the 3D map refers to it by id.
    """
    extent = _checked_extent(extent)
    if terrain is None:
        terrain = flat_terrain_layer(extent, ground_height)
        LOG.info("3D map: flat terrain at %.1f m", ground_height)
    if not terrain.isValid() or terrain.type() != terrain.RasterLayer:
        raise SceneError(tr("The terrain must be a valid raster layer of heights."))
    if project.mapLayer(terrain.id()) is None:
        project.addMapLayer(terrain, False)

    document = QDomDocument()
    document.setContent(_settings_xml(extent, terrain.id(), shadows, terrain_map_theme))
    crs_element = document.documentElement().firstChildElement("crs")
    QgsCoordinateReferenceSystem(CITY_CRS).writeXml(crs_element, document)

    settings = Qgs3DMapSettings()
    settings.readXml(document.documentElement(), QgsReadWriteContext())
    settings.setTransformContext(project.transformContext())
    settings.setPathResolver(project.pathResolver())
    settings.setMapThemeCollection(project.mapThemeCollection())
    settings.resolveReferences(project)
    settings.setLayers([layer for layer in layers if layer is not None and layer.id() != terrain.id()])
    return settings


def camera_pose(settings, x, y, z, distance, pitch=55.0, heading=0.0):
    """A camera looking at map point (x, y, z) from ``distance`` metres; ``pitch`` 0 looks straight
    down, 90 at the horizon; ``heading`` 0 looks north, 90 east."""
    pose = QgsCameraPose()
    pose.setCenterPoint(settings.mapToWorldCoordinates(QgsVector3D(x, y, z)))
    pose.setDistanceFromCenterPoint(float(distance))
    pose.setPitchAngle(float(pitch))
    pose.setHeadingAngle(float(heading))
    return pose


def _checked_extent(extent):
    if not isinstance(extent, QgsRectangle) or extent.isEmpty() or not all(
            math.isfinite(v) for v in (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())):
        raise SceneError(tr("The 3D map needs an extent with an area."))
    return extent


def _light(tag, direction, colour, intensity):
    x, y, z = world_axes(*direction)
    return '<{tag} x="{x}" y="{y}" z="{z}" color="{c}" intensity="{i}"/>'.format(
        tag=tag, x=x, y=y, z=z, c=_encode(colour), i=intensity)


def _encode(colour):
    value = colour.lstrip("#")
    return "{},{},{},255".format(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _settings_xml(extent, terrain_id, shadows, terrain_map_theme):
    centre = extent.center()
    return (
        '<qgis3d>'
        '<origin x="{cx}" y="{cy}" z="0"/>'
        '<camera field-of-view="40" projection-type="1" camera-navigation-mode="terrain-based-navigation"'
        ' camera-movement-speed="5"/>'
        '<color background="{sky}" selection="255,255,0,255"/>'
        '<crs/>'
        '<terrain terrain-rendering-enabled="1" exaggeration="1" texture-size="1024" max-terrain-error="2"'
        ' max-ground-error="1" shading-enabled="0" elevation-offset="0" map-theme={theme} show-labels="0">'
        '<layers/>'
        '<generator type="dem" layer={terrain} resolution="{resolution}" skirt-height="{skirt}"/>'
        '</terrain>'
        '<point-lights/>'
        '<directional-lights>{sun}{fill}</directional-lights>'
        '<shadow-rendering shadow-rendering-enabled="{shadows}" selected-directional-light="0"'
        ' max-shadow-rendering-distance="1200" shadow-bias="0.001" shadow-map-resolution="4096"/>'
        '</qgis3d>'
    ).format(
        cx=centre.x(), cy=centre.y(), sky=_encode(SKY_COLOUR), theme=quoteattr(terrain_map_theme or ""),
        terrain=quoteattr(terrain_id), resolution=DEM_TILE_RESOLUTION, skirt=DEM_SKIRT_HEIGHT,
        sun=_light("directional-light", *SUN), fill=_light("directional-light", *FILL),
        shadows=1 if shadows else 0,
    )
