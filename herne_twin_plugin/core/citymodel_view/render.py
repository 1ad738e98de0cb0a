"""Render a 3D map to an image without a window, through a print layout's 3D map item.

QGIS 3.22 does not offer its offscreen 3D engine to Python, but the layout's 3D map item
drives one (QgsOffscreen3DEngine + Qgs3DMapScene, captured with Qgs3DUtils when the scene
is ready). This needs an OpenGL context: on a machine without a screen run it under Xvfb
(``xvfb-run``) with the xcb platform. QGIS waits for the scene without a time limit, so
callers run it in a process of its own with a timeout (scripts/view3d.py does).
"""

from qgis._3d import QgsLayoutItem3DMap
from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QSize
from qgis.PyQt.QtGui import QColor

from ..i18n import tr

# pixels per layout millimetre; the page is sized so that it is exactly the image
_PX_PER_MM = 4.0


def render_scene(project, settings, pose, width=1600, height=1000):
    """The 3D map ``settings`` seen from ``pose`` as a QImage of ``width`` x ``height`` pixels.

    ``settings`` is handed over to the layout item (which owns it from then on).
    """
    if width < 16 or height < 16 or width > 8192 or height > 8192:
        raise ValueError(tr("An image of {width} x {height} pixels cannot be rendered.").format(
            width=width, height=height))
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    page_size = QgsLayoutSize(width / _PX_PER_MM, height / _PX_PER_MM, QgsUnitTypes.LayoutMillimeters)
    layout.pageCollection().page(0).setPageSize(page_size)
    item = QgsLayoutItem3DMap(layout)
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(0, 0, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(page_size)
    item.setFrameEnabled(False)
    # the item paints its background colour as the 3D map's sky
    item.setBackgroundColor(QColor(settings.backgroundColor()))
    item.setMapSettings(settings)
    item.setCameraPose(pose)
    try:
        return QgsLayoutExporter(layout).renderPageToImage(0, QSize(width, height))
    finally:
        # The 3D engine leaves Qt3D objects to deleteLater(); they must go while QGIS is
        # still up, else QGIS crashes on exit.
        del item
        del layout
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
