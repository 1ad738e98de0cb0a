"""Export a map of the twin as PDF and PNG through a QGIS print layout.

A first, code-built A4 landscape layout: title, map, legend of the map's layers, scale bar,
north arrow, sources and an "as of" line. Files are written to a temporary name and moved
into place only when complete, so a failed export never leaves a half-written file.
"""

import datetime
import os

from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QFont

from ..i18n import tr

DEFAULT_SOURCES = "Stadt Herne; Geobasis NRW (dl-de/zero-2.0)"


class MapExportError(Exception):
    """An export that could not be written; the message is for the user."""


def _label(layout, text, x, y, width, height, size, bold=False):
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    font = QFont("DejaVu Sans", size)
    font.setBold(bold)
    label.setFont(font)
    layout.addLayoutItem(label)
    label.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    label.attemptResize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutMillimeters))
    return label


def _set_legend_fonts(legend):
    """Compact legend fonts so the legend fits beside the map on A4."""
    sizes = ((QgsLegendStyle.Title, 11, True), (QgsLegendStyle.Group, 9, True),
             (QgsLegendStyle.Subgroup, 8, True), (QgsLegendStyle.SymbolLabel, 8, False))
    for style, size, bold in sizes:
        font = QFont("DejaVu Sans", size)
        font.setBold(bold)
        legend.rstyle(style).setFont(font)
    legend.setSymbolHeight(3.5)
    legend.setSymbolWidth(5)


def build_layout(project, layers, extent, title, subtitle="", sources=DEFAULT_SOURCES, as_of=None):
    """An A4 landscape print layout showing ``layers`` (top first) over ``extent``."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()  # one A4 landscape page
    layout.setName(title)
    _label(layout, title, 10, 6, 200, 10, 18, bold=True)
    if subtitle:
        _label(layout, subtitle, 10, 16, 277, 7, 9)

    map_item = QgsLayoutItemMap(layout)
    map_item.setRect(0, 0, 200, 170)
    map_item.attemptMove(QgsLayoutPoint(10, 25, QgsUnitTypes.LayoutMillimeters))
    map_item.attemptResize(QgsLayoutSize(205, 170, QgsUnitTypes.LayoutMillimeters))
    map_item.setLayers(list(layers))
    map_item.setKeepLayerSet(True)
    map_item.setCrs(project.crs())
    map_item.zoomToExtent(extent)
    map_item.setFrameEnabled(True)
    layout.addLayoutItem(map_item)

    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(tr("Legend"))
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.clear()
    for layer in layers:
        root.addLayer(layer)
    _set_legend_fonts(legend)
    legend.setWrapString("|")
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(220, 25, QgsUnitTypes.LayoutMillimeters))

    scale_bar = QgsLayoutItemScaleBar(layout)
    scale_bar.setStyle("Single Box")
    scale_bar.setLinkedMap(map_item)
    scale_bar.applyDefaultSize()
    scale_bar.setUnitLabel("m")
    layout.addLayoutItem(scale_bar)
    scale_bar.attemptMove(QgsLayoutPoint(12, 182, QgsUnitTypes.LayoutMillimeters))

    _label(layout, "N ↑", 200, 28, 12, 10, 14, bold=True)
    stamp = as_of or datetime.date.today().isoformat()
    _label(layout, tr("Sources: {sources}").format(sources=sources), 220, 180, 70, 12, 7)
    _label(layout, tr("As of: {date}").format(date=stamp), 220, 195, 70, 6, 7)
    return layout


def export_layout(layout, pdf_path=None, png_path=None, dpi=150):
    """Write the layout to PDF and/or PNG; raise MapExportError with the reason on failure."""
    exporter = QgsLayoutExporter(layout)
    results = {}
    for path, kind in ((pdf_path, "pdf"), (png_path, "png")):
        if not path:
            continue
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
            raise MapExportError(tr("Cannot write to the folder {folder}").format(folder=folder))
        partial = os.path.join(folder, ".partial-" + os.path.basename(path))
        if kind == "pdf":
            settings = QgsLayoutExporter.PdfExportSettings()
            settings.dpi = dpi
            settings.rasterizeWholeImage = False
            status = exporter.exportToPdf(partial, settings)
        else:
            # Rendered and saved here: exportToImage() would also try to georeference the
            # PNG in place, which GDAL's PNG driver refuses with an error on the console.
            image = exporter.renderPageToImage(0, QSize(), dpi)
            status = QgsLayoutExporter.Success if image.save(partial, "PNG") else QgsLayoutExporter.FileError
        if status != QgsLayoutExporter.Success:
            if os.path.exists(partial):
                os.remove(partial)
            raise MapExportError(tr("The map could not be exported to {path}").format(path=path))
        os.replace(partial, path)
        results[kind] = path
    return results
