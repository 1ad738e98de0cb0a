"""The design of the three layout templates in resources/layouts/, in code.

The .qpt files are what ships and what a user may open and change in QGIS's layout
designer; this module is how they were made, so a change of design stays reviewable:

    python -m herne_twin_plugin.core.export.template_design   # rewrites resources/layouts/*.qpt

Every item a template must have carries an id (``ITEM_IDS``); templates.py fills them by
id, so a user's own template works when it uses the same ids.
"""

import os
from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsReadWriteContext,
    QgsRectangle,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtXml import QDomDocument

# ids of the items templates.py fills (a user's template needs at least MAP)
TITLE, SUBTITLE, MAP, OVERVIEW, LEGEND, SCALE_BAR, NORTH_ARROW = (
    "title", "subtitle", "map", "overview", "legend", "scalebar", "north_arrow")
AS_OF, SOURCES, AUTHOR_DATE, NOTICE = "as_of", "sources", "author_date", "notice"
# an inset picture over the map's corner: the nearest sensor's chart on atlas pages, a 3D view on maps
INSET = "inset"
ITEM_IDS = (TITLE, SUBTITLE, MAP, OVERVIEW, LEGEND, SCALE_BAR, NORTH_ARROW, AS_OF, SOURCES, AUTHOR_DATE, NOTICE)

FONT_FAMILY = "DejaVu Sans"
CITY_CRS = "EPSG:25832"
# Herne's outline (the four districts), the overview map's extent in EPSG:25832
HERNE_EXTENT = (364300.0, 5711300.0, 374600.0, 5718100.0)
OVERVIEW_FRAME_COLOUR = "#d7301f"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Design:
    """Where each item sits on one page size (mm), and the title's font size (pt)."""

    file_name: str
    page: tuple
    title_pt: float
    title: Box
    subtitle: Box
    map: Box
    notice: Box
    overview: Box
    legend: Box
    as_of: Box
    sources: Box
    author_date: Box
    inset: Box


DESIGNS = (
    Design("herne_a4_portrait.qpt", (210, 297), 16,
           title=Box(10, 7, 190, 9), subtitle=Box(10, 17, 190, 8), map=Box(10, 26, 190, 178),
           notice=Box(10, 205, 190, 5), legend=Box(10, 213, 95, 74), overview=Box(110, 213, 90, 36),
           as_of=Box(110, 251, 90, 14), sources=Box(110, 266, 90, 20), author_date=Box(110, 287, 90, 6),
           inset=Box(140, 150, 58, 52)),
    Design("herne_a4_landscape.qpt", (297, 210), 16,
           title=Box(10, 6, 277, 9), subtitle=Box(10, 15, 277, 8), map=Box(10, 25, 192, 170),
           notice=Box(10, 196, 192, 5), overview=Box(207, 25, 80, 44), legend=Box(207, 72, 80, 90),
           as_of=Box(207, 164, 80, 13), sources=Box(207, 178, 80, 17), author_date=Box(207, 196, 80, 7),
           inset=Box(143, 142, 56, 50)),
    Design("herne_a3_landscape.qpt", (420, 297), 22,
           title=Box(12, 8, 300, 12), subtitle=Box(12, 21, 396, 10), map=Box(12, 33, 300, 250),
           notice=Box(12, 285, 300, 6), overview=Box(320, 33, 88, 60), legend=Box(320, 97, 88, 110),
           as_of=Box(320, 210, 88, 22), sources=Box(320, 234, 88, 34), author_date=Box(320, 271, 88, 12),
           inset=Box(230, 205, 80, 76)),
)


def _place(item, box):
    item.attemptMove(QgsLayoutPoint(box.x, box.y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(box.width, box.height, QgsUnitTypes.LayoutMillimeters))


def _label(layout, item_id, box, text, size, bold=False, colour="#1a1a1a"):
    label = QgsLayoutItemLabel(layout)
    label.setId(item_id)
    label.setText(text)
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(size)
    font.setBold(bold)
    label.setFont(font)
    label.setFontColor(QColor(colour))
    label.setVAlign(Qt.AlignTop)
    label.setHAlign(Qt.AlignLeft)
    layout.addLayoutItem(label)
    _place(label, box)
    return label


def build_design(project, design):
    """A print layout of ``design`` with placeholder texts (nothing project-specific)."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(design.file_name[:-4])
    width, height = design.page
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutMillimeters))
    _label(layout, TITLE, design.title, "[title]", design.title_pt, bold=True)
    _label(layout, SUBTITLE, design.subtitle, "[subtitle]", design.title_pt * 0.56)
    _label(layout, NOTICE, design.notice, "", design.title_pt * 0.45, bold=True, colour="#b2182b")

    main = QgsLayoutItemMap(layout)
    main.setId(MAP)
    main.setRect(0, 0, 1, 1)  # a map item without a size gets NaN extents; _place resizes it
    main.setFrameEnabled(True)
    main.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(main)
    _place(main, design.map)
    main.setCrs(QgsCoordinateReferenceSystem(CITY_CRS))
    main.zoomToExtent(QgsRectangle(*HERNE_EXTENT))

    overview = QgsLayoutItemMap(layout)
    overview.setId(OVERVIEW)
    overview.setRect(0, 0, 1, 1)
    overview.setFrameEnabled(True)
    overview.setBackgroundColor(QColor("#f4f4f0"))
    layout.addLayoutItem(overview)
    _place(overview, design.overview)
    overview.setCrs(QgsCoordinateReferenceSystem(CITY_CRS))
    overview.zoomToExtent(QgsRectangle(*HERNE_EXTENT))
    frame = QgsLayoutItemMapOverview("extent", overview)
    frame.setLinkedMap(main)
    frame.setFrameSymbol(_frame_symbol())
    overview.overviews().addOverview(frame)

    legend = QgsLayoutItemLegend(layout)
    legend.setId(LEGEND)
    legend.setTitle("[legend]")
    legend.setLinkedMap(main)
    legend.setResizeToContents(False)
    layout.addLayoutItem(legend)
    _place(legend, design.legend)

    scale_bar = QgsLayoutItemScaleBar(layout)
    scale_bar.setId(SCALE_BAR)
    scale_bar.setStyle("Single Box")
    scale_bar.setLinkedMap(main)
    scale_bar.applyDefaultSize()
    scale_bar.setBackgroundEnabled(True)
    scale_bar.setBackgroundColor(QColor(255, 255, 255, 210))
    layout.addLayoutItem(scale_bar)
    scale_bar.attemptMove(QgsLayoutPoint(design.map.x + 3, design.map.y + design.map.height - 13,
                                         QgsUnitTypes.LayoutMillimeters))

    north = QgsLayoutItemPicture(layout)
    north.setId(NORTH_ARROW)
    north.setLinkedMap(main)
    north.setBackgroundEnabled(True)
    north.setBackgroundColor(QColor(255, 255, 255, 210))
    layout.addLayoutItem(north)
    _place(north, Box(design.map.x + design.map.width - 13, design.map.y + 3, 10, 15))

    _label(layout, AS_OF, design.as_of, "[as of]", 7)
    _label(layout, SOURCES, design.sources, "[sources]", 6.5)
    _label(layout, AUTHOR_DATE, design.author_date, "[author, date]", 6.5, colour="#4d4d4d")

    inset = QgsLayoutItemPicture(layout)  # hidden unless a chart or a 3D view is given
    inset.setId(INSET)
    inset.setVisibility(False)
    inset.setFrameEnabled(True)
    inset.setBackgroundEnabled(True)
    layout.addLayoutItem(inset)
    _place(inset, design.inset)
    return layout


def _frame_symbol():
    return QgsFillSymbol.createSimple({"color": "215,48,31,40", "outline_color": OVERVIEW_FRAME_COLOUR,
                                       "outline_width": "0.5"})


def write_templates(project, folder):
    """Write every design as a .qpt into ``folder``; returns the paths."""
    paths = []
    for design in DESIGNS:
        layout = build_design(project, design)
        document = QDomDocument()
        element = layout.writeXml(document, QgsReadWriteContext())
        document.appendChild(element)
        path = os.path.join(folder, design.file_name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(document.toString(1))
        paths.append(path)
    return paths


if __name__ == "__main__":
    from qgis.core import QgsApplication, QgsProject

    from ..paths import resource_path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    for written in write_templates(QgsProject.instance(), resource_path("layouts")):
        print(written)
    app.exitQgis()
