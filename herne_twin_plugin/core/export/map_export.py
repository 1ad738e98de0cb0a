"""Export a map of the twin as PDF (vector, georeferenced), PNG (at a chosen dpi, with a world
file) and SVG through one of the layout templates.

Every file is first written under a ``.partial-`` name in the target folder and moved into
place only when all requested formats are complete, so a failed or cancelled export never
leaves a half-written file.
"""

import logging
import os

from qgis.core import QgsLayoutExporter, QgsMapLayerType, QgsRectangle
from qgis.PyQt.QtCore import QSize

from ..i18n import tr
from .errors import MapExportError
from .language import MapLanguage
from .templates import DEFAULT_TEMPLATE, MapTexts, fill_layout, load_template, place_inset

LOG = logging.getLogger(__name__)

__all__ = ["MapExportError", "FORMATS", "build_layout", "export_layout", "export_map", "check_layers"]

FORMATS = ("pdf", "png", "svg")
MIN_DPI, MAX_DPI = 36, 1200
PARTIAL_PREFIX = ".partial-"
INCHES_PER_METRE = 39.3700787


def check_dpi(dpi):
    if not isinstance(dpi, (int, float)) or not MIN_DPI <= dpi <= MAX_DPI:
        raise MapExportError(tr("The resolution must be between {low} and {high} dpi, not {dpi}.").format(
            low=MIN_DPI, high=MAX_DPI, dpi=dpi))
    return int(dpi)


def check_layers(layers):
    """The layers of a map, checked: each loaded, and not all of them empty."""
    layers = [layer for layer in layers if layer is not None]
    if not layers:
        raise MapExportError(tr("There is no layer to put on the map: make layers visible or choose a map theme."))
    for layer in layers:
        if not layer.isValid():
            raise MapExportError(tr("The layer {name} failed to load ({source}); fix or remove it first.").format(
                name=layer.name(), source=layer.publicSource()))
    vectors = [layer for layer in layers if layer.type() == QgsMapLayerType.VectorLayer]
    if vectors and len(vectors) == len(layers) and all(layer.featureCount() == 0 for layer in vectors):
        names = ", ".join(layer.name() for layer in vectors)
        raise MapExportError(tr("The layers {names} have no features: the map would be empty.").format(names=names))
    for layer in vectors:
        if layer.featureCount() == 0:
            LOG.warning("layer %s has no features; it shows nothing on the map", layer.name())
    return layers


def writable_folder(path):
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise MapExportError(tr("Cannot write to the folder {folder}: it does not exist.").format(folder=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise MapExportError(tr("Cannot write to the folder {folder}: no permission.").format(folder=folder))
    return folder


def partial_path(path):
    return os.path.join(os.path.dirname(os.path.abspath(path)), PARTIAL_PREFIX + os.path.basename(path))


def pdf_settings(dpi, georeference=True):
    """Vector PDF settings; georeferenced (GeoPDF where the QGIS/GDAL build writes it)."""
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = True
    settings.appendGeoreference = georeference
    settings.exportMetadata = True
    if hasattr(settings, "textRenderFormat"):
        from qgis.core import QgsRenderContext

        settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText  # text stays searchable
    return settings


def _write_png(exporter, layout, partial, dpi):
    """Render page 1 at ``dpi`` and save it with its dpi, a world file and the CRS (.aux.xml)."""
    # Rendered and saved here: exportToImage() would also try to georeference the PNG in
    # place, which GDAL's PNG driver refuses with an error on the console.
    image = exporter.renderPageToImage(0, QSize(), dpi)
    if image.isNull():
        return False
    dots_per_metre = int(round(dpi * INCHES_PER_METRE))
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    if not image.save(partial, "PNG"):
        return False
    reference = layout.referenceMap()
    if reference is not None:
        a, b, c, d, e, f = exporter.computeWorldFileParameters(dpi)
        with open(partial[:-4] + ".pgw", "w", encoding="ascii") as handle:
            handle.write("\n".join("{:.10f}".format(v) for v in (a, d, b, e, c, f)) + "\n")
        wkt = reference.crs().toWkt()
        with open(partial + ".aux.xml", "w", encoding="utf-8") as handle:
            handle.write("<PAMDataset>\n  <SRS>{}</SRS>\n</PAMDataset>\n".format(
                wkt.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")))
    return True


def _companions(path):
    """The side files of a PNG: world file and GDAL's CRS file."""
    return [path[:-4] + ".pgw", path + ".aux.xml"] if path.lower().endswith(".png") else []


def _remove(paths):
    for path in paths:
        for each in [path] + _companions(path):
            if os.path.exists(each):
                os.remove(each)


def export_layout(layout, pdf_path=None, png_path=None, dpi=150, svg_path=None, georeference=True, feedback=None):
    """Write the layout to PDF, PNG and/or SVG; {kind: path}. MapExportError with the reason on failure."""
    dpi = check_dpi(dpi)
    targets = [(kind, path) for kind, path in (("pdf", pdf_path), ("png", png_path), ("svg", svg_path)) if path]
    for _kind, path in targets:
        writable_folder(path)
    exporter = QgsLayoutExporter(layout)
    written = []
    try:
        for step, (kind, path) in enumerate(targets):
            if feedback is not None:
                if feedback.isCanceled():
                    raise MapExportError(tr("The export was cancelled."))
                feedback.setProgress(100.0 * step / len(targets))
            partial = partial_path(path)
            written.append(partial)
            if kind == "pdf":
                status = exporter.exportToPdf(partial, pdf_settings(dpi, georeference))
            elif kind == "svg":
                settings = QgsLayoutExporter.SvgExportSettings()
                settings.dpi = dpi
                settings.forceVectorOutput = True
                status = exporter.exportToSvg(partial, settings)
            else:
                status = QgsLayoutExporter.Success if _write_png(exporter, layout, partial, dpi) \
                    else QgsLayoutExporter.FileError
            if status != QgsLayoutExporter.Success or not os.path.isfile(partial):
                raise MapExportError(tr("The map could not be exported to {path}").format(path=path))
    except BaseException:
        _remove(written)
        raise
    results = {}
    for (kind, path), partial in zip(targets, written):
        for source, target in zip([partial] + _companions(partial), [path] + _companions(path)):
            if os.path.exists(source):
                os.replace(source, target)
        results[kind] = path
    if feedback is not None:
        feedback.setProgress(100.0)
    return results


def output_paths(output, formats):
    """{kind: path} for ``formats`` from one output path (its extension is replaced per format)."""
    unknown = [kind for kind in formats if kind not in FORMATS]
    if unknown or not formats:
        raise MapExportError(tr("Choose at least one of the formats {choices}.").format(choices=", ".join(FORMATS)))
    base, extension = os.path.splitext(output)
    if extension.lower().lstrip(".") not in FORMATS:
        base = output
    return {kind: base + "." + kind for kind in formats}


def export_map(project, layers, extent, output, texts, template=DEFAULT_TEMPLATE, formats=("pdf", "png"),
               dpi=300, language="de", map_theme=None, inset_image=None, feedback=None):
    """A map of ``layers`` (top first) over ``extent`` from ``template``, written to ``output``
    in ``formats``; returns {kind: path}.

    ``inset_image``: a picture for the template's inset, e.g. the twin's 3D view rendered
    offscreen by scripts/view3d.py (core/citymodel_view/render.py).
    """
    layers = check_layers(layers)
    if not isinstance(extent, QgsRectangle) or extent.isEmpty() or extent.isNull():
        raise MapExportError(tr("The map extent is empty: choose an extent or a district."))
    paths = output_paths(output, formats)
    check_dpi(dpi)
    layout = load_template(project, template)
    fill_layout(layout, layers, extent, texts, MapLanguage(language), map_theme=map_theme)
    if inset_image:
        place_inset(layout, inset_image)
    return export_layout(layout, pdf_path=paths.get("pdf"), png_path=paths.get("png"), svg_path=paths.get("svg"),
                         dpi=dpi, feedback=feedback)


def build_layout(project, layers, extent, title, subtitle="", sources=None, as_of=None, template=DEFAULT_TEMPLATE,
                 language="de", author=""):
    """A filled print layout from a template (for scripts that export it themselves)."""
    extra = tuple(s.strip() for s in sources.split(";")) if sources else ()
    texts = MapTexts(title=title, subtitle=subtitle, extra_sources=extra, as_of=as_of, author=author)
    layout = load_template(project, template)
    return fill_layout(layout, check_layers(layers), extent, texts, MapLanguage(language))
