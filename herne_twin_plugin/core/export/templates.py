"""The twin's layout templates (resources/layouts/*.qpt): load one and fill it for a map.

Items are found by id (template_design.ITEM_IDS): the map, its overview of Herne, the
legend filtered to the map's layers, scale bar, north arrow, title and subtitle, the
data's "as of" times, sources and licences, author and date, and a notice for synthetic
data. A user's own .qpt works when it has at least an item with the id ``map``; items it
lacks are left out.
"""

import datetime
import logging
import os
from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsReadWriteContext,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsUnitTypes,
)
from qgis.PyQt.QtGui import QFont, QImageReader
from qgis.PyQt.QtXml import QDomDocument

from ..i18n import tr
from ..paths import resource_path
from . import template_design as design
from .as_of import as_of_lines, collect_as_of
from .errors import MapExportError
from .language import MapLanguage, tr_noop
from .layer_facts import field_names, geopackage_table, is_synthetic, is_vector
from .sources import source_lines

LOG = logging.getLogger(__name__)

TEMPLATES = (  # key, file in resources/layouts
    ("a4_portrait", "herne_a4_portrait.qpt"),
    ("a4_landscape", "herne_a4_landscape.qpt"),
    ("a3_landscape", "herne_a3_landscape.qpt"),
)
TEMPLATE_KEYS = tuple(key for key, _file in TEMPLATES)
DEFAULT_TEMPLATE = "a4_landscape"
NORTH_ARROW_SVG = resource_path("layouts", "north_arrow.svg")
DISTRICT_TABLES = ("districts", "stadtbezirke")
KILOMETRE_SCALE_FROM_M = 6000.0  # map widths above this get a scale bar in km


def template_labels():
    """The three templates' names for choosers, in the order of TEMPLATE_KEYS."""
    return [tr("A4 portrait"), tr("A4 landscape"), tr("A3 landscape")]


def template_path(template):
    """The .qpt file of a template key ("a4_landscape") or of a user's path."""
    files = dict(TEMPLATES)
    if template in files:
        return resource_path("layouts", files[template])
    path = str(template or "")
    if not path.lower().endswith(".qpt"):
        raise MapExportError(tr("Unknown layout template {template}: choose one of {choices} or a .qpt file.").format(
            template=path or "''", choices=", ".join(TEMPLATE_KEYS)))
    return path


def load_template(project, template):
    """A new print layout of ``project`` from a template key or .qpt path; MapExportError if it cannot be read."""
    path = template_path(template)
    if not os.path.isfile(path):
        raise MapExportError(tr("The layout template {path} does not exist.").format(path=path))
    try:
        with open(path, encoding="utf-8") as handle:
            content = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise MapExportError(tr("The layout template {path} cannot be read: {reason}").format(
            path=path, reason=error)) from error
    document = QDomDocument()
    parsed = document.setContent(content)
    ok = parsed[0] if isinstance(parsed, tuple) else parsed
    if not ok or document.documentElement().tagName() != "Layout":
        raise MapExportError(tr("The file {path} is not a QGIS layout template (.qpt).").format(path=path))
    layout = QgsPrintLayout(project)
    _items, loaded = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not loaded:
        raise MapExportError(tr("QGIS could not load the layout template {path}.").format(path=path))
    if not isinstance(layout.itemById(design.MAP), QgsLayoutItemMap):
        raise MapExportError(tr("The layout template {path} has no map item with the id 'map'.").format(path=path))
    layout.setName(os.path.splitext(os.path.basename(path))[0])
    return layout


@dataclass
class MapTexts:
    """What a map says besides the data. ``None`` for as_of and notice means: from the layers."""

    title: str
    subtitle: str = ""
    author: str = ""
    date: datetime.date = field(default_factory=datetime.date.today)
    extra_sources: tuple = ()
    as_of: object = None  # None: from the layers; a string: printed as it is
    notice: object = None  # None: "synthetic" when a layer is sample data; "" for none


def _item(layout, item_id, kind):
    item = layout.itemById(item_id)
    return item if isinstance(item, kind) else None


def _set_label(layout, item_id, text):
    label = _item(layout, item_id, QgsLayoutItemLabel)
    if label is not None:
        label.setText(text)
    return label


def district_layers(project):
    """The project's district boundary layers (for the overview map)."""
    found = []
    for layer in project.mapLayers().values():
        table = geopackage_table(layer)
        name = (table[1] if table else layer.name()).lower()
        if is_vector(layer) and (name in DISTRICT_TABLES or layer.name().lower() in DISTRICT_TABLES):
            found.append(layer)
    return found


def _overview(project, layers, overview_layers):
    """Layers and extent of the overview map: Herne's districts where the project has them."""
    chosen = list(overview_layers) if overview_layers else district_layers(project)
    if not chosen:
        chosen = [layer for layer in layers if is_vector(layer) and layer.featureCount() > 0][-1:] or list(layers)
    extent = QgsRectangle(*design.HERNE_EXTENT)
    for layer in chosen:
        if "district_id" in field_names(layer) or layer in district_layers(project):
            extent = QgsRectangle(layer.extent())
            break
    return chosen, extent.buffered(extent.width() * 0.04)


LEGEND_FONTS = ((QgsLegendStyle.Title, 10, True), (QgsLegendStyle.Group, 8, True),
                (QgsLegendStyle.Subgroup, 7.5, True), (QgsLegendStyle.SymbolLabel, 7.5, False))


def _legend_type(legend, scale):
    for style, size, bold in LEGEND_FONTS:
        font = QFont(design.FONT_FAMILY)
        font.setPointSizeF(size * scale)
        font.setBold(bold)
        legend.rstyle(style).setFont(font)
    legend.setSymbolHeight(3.5 * scale)
    legend.setSymbolWidth(5.5 * scale)
    # tighter than QGIS's defaults, so a map of five layers keeps its legend on A4
    legend.rstyle(QgsLegendStyle.Symbol).setMargin(QgsLegendStyle.Top, 1.2 * scale)
    legend.rstyle(QgsLegendStyle.Group).setMargin(QgsLegendStyle.Top, 2.2 * scale)
    legend.rstyle(QgsLegendStyle.Subgroup).setMargin(QgsLegendStyle.Top, 1.8 * scale)
    legend.setWmsLegendWidth(45 * scale)
    legend.setWmsLegendHeight(30 * scale)


def _fit_legend(legend):
    """The legend's entries in its box: smaller type first, then two columns where they are narrow enough.

    The box keeps its size (resize-to-contents is off), so the renderer says what the entries need.
    """
    box = legend.rect()
    for scale, columns in ((1.0, 1), (0.88, 1), (1.0, 2), (0.76, 1), (0.88, 2), (0.76, 2)):
        _legend_type(legend, scale)
        legend.setColumnCount(1)
        legend.updateLegend()
        needed = QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize()
        column_space = legend.columnSpace()
        width, height = needed.width() * columns + column_space * (columns - 1), needed.height() / columns * 1.15
        if width <= box.width() and height <= box.height():
            legend.setColumnCount(columns)
            legend.setSplitLayer(False)  # a layer's classes stay together under its name
            return True
    LOG.info("the legend may not fit its box (%.0f x %.0f mm); entries may be cut", box.width(), box.height())
    return False


def place_inset(layout, image_path):
    """Show an image (a 3D view of the twin, a chart) in the template's inset over the map's corner."""
    if not os.path.isfile(image_path):
        raise MapExportError(tr("The image {path} does not exist.").format(path=image_path))
    pixels = QImageReader(image_path).size()
    if pixels.isEmpty():
        raise MapExportError(tr("The file {path} is not an image QGIS can read.").format(path=image_path))
    inset = _item(layout, design.INSET, QgsLayoutItemPicture)
    if inset is None:
        raise MapExportError(tr("The layout template has no picture item with the id 'inset' for the image."))
    # the frame takes the image's proportions inside the template's box, anchored at its lower right
    box = inset.sceneBoundingRect()
    width = min(box.width(), box.height() * pixels.width() / pixels.height())
    height = width * pixels.height() / pixels.width()
    inset.setResizeMode(QgsLayoutItemPicture.Zoom)
    inset.attemptResize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutMillimeters))
    inset.attemptMove(QgsLayoutPoint(box.right() - width, box.bottom() - height, QgsUnitTypes.LayoutMillimeters))
    inset.setPicturePath(image_path)
    inset.setVisibility(True)
    return inset


def fit_scale_bar(scale_bar, main, in_km):
    """Two segments whose length QGIS picks to fit 25-55 mm at the map's scale (also on atlas pages)."""
    scale_bar.setLinkedMap(main)
    scale_bar.setUnits(QgsUnitTypes.DistanceKilometers if in_km else QgsUnitTypes.DistanceMeters)
    scale_bar.setUnitLabel("km" if in_km else "m")
    scale_bar.setMapUnitsPerScaleBarUnit(1000.0 if in_km else 1.0)
    scale_bar.setNumberOfSegments(2)
    scale_bar.setNumberOfSegmentsLeft(0)
    scale_bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    scale_bar.setMinimumBarWidth(25)
    scale_bar.setMaximumBarWidth(55)
    scale_bar.update()
    scale_bar.refreshItemSize()


def fill_layout(layout, layers, extent, texts, language=None, map_theme=None, overview_layers=None):
    """Fill a template's items for ``layers`` (top first) over ``extent`` (in the map's CRS).

    With ``map_theme`` the map follows that theme of the project instead of a fixed layer set.
    """
    language = language or MapLanguage()
    project = layout.project()
    main = layout.itemById(design.MAP)
    crs = project.crs() if project.crs().isValid() else QgsCoordinateReferenceSystem(design.CITY_CRS)
    main.setCrs(crs)
    if map_theme:
        main.setFollowVisibilityPreset(True)
        main.setFollowVisibilityPresetName(map_theme)
    else:
        main.setFollowVisibilityPreset(False)
        main.setLayers(list(layers))
        main.setKeepLayerSet(True)
    main.zoomToExtent(extent)

    overview = _item(layout, design.OVERVIEW, QgsLayoutItemMap)
    if overview is not None:
        overview_set, overview_extent = _overview(project, layers, overview_layers)
        overview.setCrs(crs)
        overview.setLayers(overview_set)
        overview.setKeepLayerSet(True)
        overview.zoomToExtent(overview_extent)
        if overview.overviews().size():
            overview.overviews().overview(0).setLinkedMap(main)

    legend = _item(layout, design.LEGEND, QgsLayoutItemLegend)
    if legend is not None:
        legend.setTitle(language(tr_noop("Legend")))
        legend.setLinkedMap(main)
        legend.setAutoUpdateModel(False)
        root = legend.model().rootGroup()
        root.clear()
        for layer in layers:
            root.addLayer(layer)
        legend.setLegendFilterByMapEnabled(True)  # only the classes that show on the map
        _fit_legend(legend)

    scale_bar = _item(layout, design.SCALE_BAR, QgsLayoutItemScaleBar)
    if scale_bar is not None:
        fit_scale_bar(scale_bar, main, in_km=main.extent().width() > KILOMETRE_SCALE_FROM_M)

    north = _item(layout, design.NORTH_ARROW, QgsLayoutItemPicture)
    if north is not None:
        north.setLinkedMap(main)
        north.setPicturePath(NORTH_ARROW_SVG)

    _set_label(layout, design.TITLE, texts.title)
    _set_label(layout, design.SUBTITLE, texts.subtitle)
    if texts.as_of is None:
        lines = as_of_lines(collect_as_of(layers), language) or [language.date(texts.date)]
    else:
        lines = [str(texts.as_of)]
    _set_label(layout, design.AS_OF, "\n".join([language(tr_noop("Data as of"))] + lines))
    sources = source_lines(layers, language, texts.extra_sources)
    _set_label(layout, design.SOURCES, "\n".join([language(tr_noop("Sources and licences"))] + sources))
    made = language(tr_noop("Made on {date}")).format(date=language.date(texts.date))
    if texts.author:
        made = language(tr_noop("Author: {author}")).format(author=texts.author) + " · " + made
    _set_label(layout, design.AUTHOR_DATE, made)
    notice = texts.notice
    if notice is None:
        notice = language(tr_noop("SYNTHETIC sample data: no real assets")) if any(
            is_synthetic(layer) for layer in layers) else ""
    _set_label(layout, design.NOTICE, notice)
    layout.setReferenceMap(main)
    layout.refresh()
    return layout
