"""Atlases: one page per feature of a coverage layer (districts, the buildings a heavy-rain
scenario reaches, any layer), sorted and filtered, to one PDF or one PDF per page.

The page layout is one of the templates, filled as for a single map; the map follows the
page's feature, the title names it, and an optional chart shows the readings of the nearest
sensor (chart.SensorChart). Files appear only when the whole atlas is written.
"""

import logging
import os
import shutil
import tempfile

from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutUtils,
    QgsVectorLayer,
)

from ..i18n import tr
from . import template_design as design
from .errors import MapExportError
from .language import MapLanguage
from .map_export import PARTIAL_PREFIX, check_dpi, check_layers, partial_path, pdf_settings, writable_folder
from .templates import DEFAULT_TEMPLATE, fill_layout, fit_scale_bar, load_template

LOG = logging.getLogger(__name__)

ATLAS_MARGIN = 0.10  # share of the feature's size kept free around it on each page


class ExportCanceledError(MapExportError):
    """The user cancelled; nothing was written."""


def check_expression(text, layer, what):
    """A parsed expression over ``layer``'s fields, or MapExportError naming ``what`` and the reason."""
    expression = QgsExpression(text)
    if expression.hasParserError():
        raise MapExportError(tr("The {what} expression {expression} is not valid: {reason}").format(
            what=what, expression=text, reason=expression.parserErrorString().strip()))
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    expression.prepare(context)
    missing = [name for name in expression.referencedColumns()
               if name != QgsFeatureRequest.ALL_ATTRIBUTES and layer.fields().indexOf(name) < 0]
    if missing:
        raise MapExportError(tr("The {what} expression {expression} uses fields the layer {layer} lacks: {fields}")
                             .format(what=what, expression=text, layer=layer.name(), fields=", ".join(missing)))
    return expression


def coverage_page_count(coverage, filter_expression=""):
    """How many pages the atlas gets: the coverage's features that pass the filter."""
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setNoAttributes()
    if filter_expression:
        request = QgsFeatureRequest(QgsExpression(filter_expression)).setFlags(QgsFeatureRequest.NoGeometry)
    return sum(1 for _ in coverage.getFeatures(request))


def check_coverage(coverage, sort_expression="", filter_expression="", page_name_expression=""):
    """The number of pages; MapExportError where the coverage or an expression cannot make an atlas."""
    if coverage is None or not isinstance(coverage, QgsVectorLayer):
        raise MapExportError(tr("The atlas needs a vector layer as its coverage."))
    if not coverage.isValid():
        raise MapExportError(tr("The layer {name} failed to load ({source}); fix or remove it first.").format(
            name=coverage.name(), source=coverage.publicSource()))
    for text, what in ((sort_expression, tr("sort")), (filter_expression, tr("filter")),
                       (page_name_expression, tr("page name"))):
        if text:
            check_expression(text, coverage, what)
    if coverage.featureCount() == 0:
        raise MapExportError(tr("The coverage layer {name} has no features: the atlas would have no pages.").format(
            name=coverage.name()))
    pages = coverage_page_count(coverage, filter_expression)
    if pages == 0:
        raise MapExportError(tr("No feature of {name} passes the filter {expression}: the atlas would have no pages.")
                             .format(name=coverage.name(), expression=filter_expression))
    return pages


def prepare_atlas(project, coverage, texts, layers=None, template=DEFAULT_TEMPLATE, sort_expression="",
                  filter_expression="", page_name_expression="", language="de", chart=None):
    """A print layout whose atlas walks ``coverage``; returns (layout, page count).

    ``layers`` (top first) defaults to the coverage alone; the coverage is always on the map.
    """
    pages = check_coverage(coverage, sort_expression, filter_expression, page_name_expression)
    layers = list(layers or [])
    if coverage not in layers:
        layers.insert(0, coverage)
    layers = check_layers(layers)
    layout = load_template(project, template)
    fill_layout(layout, layers, coverage.extent(), texts, MapLanguage(language))
    main = layout.itemById(design.MAP)
    main.setAtlasDriven(True)
    # the project's (or QGIS's) predefined scales, as QGIS's own atlas export uses them: a
    # house gets 1:1000 with its street around it instead of filling the page
    main.setAtlasScalingMode(QgsLayoutItemMap.Predefined)
    main.setAtlasMargin(ATLAS_MARGIN)
    scale_bar = layout.itemById(design.SCALE_BAR)
    if isinstance(scale_bar, QgsLayoutItemScaleBar):
        fit_scale_bar(scale_bar, main, in_km=False)  # pages differ in scale: metres fit them all

    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    atlas.setHideCoverage(False)
    atlas.setPageNameExpression(page_name_expression or coverage.displayExpression() or "$id")
    if sort_expression:
        atlas.setSortFeatures(True)
        atlas.setSortExpression(sort_expression)
    if filter_expression:
        atlas.setFilterFeatures(True)
        error = atlas.setFilterExpression(filter_expression)
        if isinstance(error, tuple) and not error[0]:
            raise MapExportError(tr("The filter expression {expression} is not valid: {reason}").format(
                expression=filter_expression, reason=error[1]))

    title = layout.itemById(design.TITLE)
    if isinstance(title, QgsLayoutItemLabel):
        title.setText("{} – [% @atlas_pagename %]".format(texts.title) if texts.title else "[% @atlas_pagename %]")
    if chart is not None:
        _attach_chart(layout, chart)
    return layout, pages


def _attach_chart(layout, chart):
    """Redraw the chart picture for each page's feature (the chart's files live as long as the layout)."""
    picture = layout.itemById(design.INSET)
    if not isinstance(picture, QgsLayoutItemPicture):
        LOG.warning("the template has no item 'inset'; the atlas is made without sensor charts")
        return
    folder = tempfile.mkdtemp(prefix="hernetwin-charts-")
    layout.destroyed.connect(lambda *_args, path=folder: shutil.rmtree(path, ignore_errors=True))
    size = picture.sizeWithUnits()

    def on_feature(feature):
        path = os.path.join(folder, "chart_{}.png".format(feature.id()))
        drawn = chart.image_for(feature.geometry(), path, size_mm=(size.width(), size.height()))
        picture.setPicturePath(drawn or "")
        picture.setVisibility(bool(drawn))

    layout.atlas().featureChanged.connect(on_feature)
    layout._hernetwin_chart_slot = on_feature  # keep the slot alive with the layout


def export_atlas(layout, output, single_file=True, dpi=300, feedback=None):
    """Write the layout's atlas to ``output`` (one PDF) or, page by page, into the folder of
    ``output`` named after it and each page; returns the written paths."""
    dpi = check_dpi(dpi)
    folder = writable_folder(output)
    atlas = layout.atlas()
    settings = pdf_settings(dpi)
    settings.predefinedMapScales = QgsLayoutUtils.predefinedScales(layout)
    if single_file:
        partial = partial_path(output)
        try:
            status, error = QgsLayoutExporter.exportToPdf(atlas, partial, settings, feedback)
        except BaseException:
            _remove_file(partial)
            raise
        if status != QgsLayoutExporter.Success or not os.path.isfile(partial):
            _remove_file(partial)
            _raise_for(status, error, output, feedback)
        os.replace(partial, output)
        return [output]

    atlas.updateFeatures()
    prefix = os.path.splitext(os.path.basename(output))[0] or "atlas"
    atlas.setFilenameExpression(  # <name>_07_Herne-Mitte.pdf: sorts in page order, says what is on it
        "{prefix} || '_' || lpad(to_string(@atlas_featurenumber), {digits}, '0') || '_' || "
        "coalesce(regexp_replace(to_string(@atlas_pagename), '[^A-Za-z0-9ÄÖÜäöüß.-]+', '_'), '')".format(
            prefix=QgsExpression.quotedString(prefix), digits=len(str(max(atlas.count(), 1)))))
    staging = tempfile.mkdtemp(prefix=PARTIAL_PREFIX + "atlas-", dir=folder)
    try:
        status, error = QgsLayoutExporter.exportToPdfs(atlas, os.path.join(staging, "page.pdf"), settings, feedback)
        written = sorted(name for name in os.listdir(staging) if name.lower().endswith(".pdf"))
        if status != QgsLayoutExporter.Success or not written:
            _raise_for(status, error, output, feedback)
        paths = []
        for name in written:
            target = os.path.join(folder, name)
            os.replace(os.path.join(staging, name), target)
            paths.append(target)
        return paths
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_file(path):
    if os.path.exists(path):
        os.remove(path)


def _raise_for(status, error, output, feedback):
    if status == QgsLayoutExporter.Canceled or (feedback is not None and feedback.isCanceled()):
        raise ExportCanceledError(tr("The atlas export was cancelled; no file was written."))
    raise MapExportError(tr("The atlas could not be exported to {path}: {reason}").format(
        path=output, reason=error or tr("unknown error")))
