"""hernetwin:exportmap and the layout templates, checked as a planner would check the files:
page size and count (pdftoppm), the text on the page (pdftotext), the georeferencing (gdalinfo),
the PNG's dpi and size; and every kind of bad input gives a clear message and no file."""

# ruff: noqa: F811 (the fixtures come from export_support and are named as arguments)

import datetime
import os
import sqlite3

import pytest
from export_support import (  # noqa: F401 (fixtures)
    MAP_ORDER,
    PAGE_MM,
    city_project,
    corner_box,
    flat,
    gdal_info,
    gpkg_rows,
    hernetwin,
    leftovers,
    need_tools,
    pdf_pages,
    pdf_text,
    sample_city,
)
from qgis.core import (
    QgsLayerTreeModel,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsMapThemeCollection,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor, QImage

from herne_twin_plugin.core.export import template_design as design
from herne_twin_plugin.core.export.language import MapLanguage
from herne_twin_plugin.core.export.templates import TEMPLATE_KEYS, load_template
from herne_twin_plugin.core.hazard.scenarios import HERNE_SCENARIOS

ITEM_KINDS = {
    design.TITLE: QgsLayoutItemLabel, design.SUBTITLE: QgsLayoutItemLabel, design.MAP: QgsLayoutItemMap,
    design.OVERVIEW: QgsLayoutItemMap, design.LEGEND: QgsLayoutItemLegend, design.SCALE_BAR: QgsLayoutItemScaleBar,
    design.NORTH_ARROW: QgsLayoutItemPicture, design.AS_OF: QgsLayoutItemLabel, design.SOURCES: QgsLayoutItemLabel,
    design.AUTHOR_DATE: QgsLayoutItemLabel, design.NOTICE: QgsLayoutItemLabel,
}


def run_export(parameters):
    import processing

    return processing.run("hernetwin:exportmap", parameters)


@pytest.mark.parametrize("template", TEMPLATE_KEYS)
def test_each_template_has_every_item_on_its_page(qgis_app, template):
    layout = load_template(QgsProject.instance(), template)
    page = layout.pageCollection().page(0).pageSize()
    assert (round(page.width()), round(page.height())) == PAGE_MM[template]
    for item_id, kind in ITEM_KINDS.items():
        item = layout.itemById(item_id)
        assert isinstance(item, kind), "{} lacks {}".format(template, item_id)
        box = item.sceneBoundingRect()
        assert box.left() >= 0 and box.top() >= 0, item_id
        assert box.right() <= page.width() + 0.1 and box.bottom() <= page.height() + 0.1, item_id
    overview = layout.itemById(design.OVERVIEW)
    assert overview.overviews().overview(0).linkedMap() is layout.itemById(design.MAP)


def expected_as_of(sample_city, language):
    """The as-of text a reader expects, from the GeoPackage itself (not from the code under test)."""
    (stamp,) = gpkg_rows(sample_city["geopackage"],
                         "SELECT last_change FROM gpkg_contents WHERE table_name = 'extremregen'")[0]
    return language.date(datetime.date.fromisoformat(stamp[:10].replace("/", "-")))


@pytest.mark.parametrize("template", TEMPLATE_KEYS)
def test_exportmap_writes_pdf_png_svg_a_planner_can_use(hernetwin, city_project, sample_city, tmp_path, template):
    need_tools()
    out = tmp_path / "out"
    out.mkdir()
    result = run_export({"TEMPLATE": TEMPLATE_KEYS.index(template), "TITLE": "Herne-Mitte: Starkregen",
                         "SUBTITLE": "Prüfkarte", "AUTHOR": "FB 16 Geo-Services", "FORMATS": [0, 1, 2],
                         "DPI": 72, "OUTPUT": str(out / "karte.pdf")})
    assert {os.path.basename(result[k]) for k in ("OUTPUT_PDF", "OUTPUT_PNG", "OUTPUT_SVG")} == {
        "karte.pdf", "karte.png", "karte.svg"}

    sizes, _pngs = pdf_pages(result["OUTPUT_PDF"], tmp_path)
    assert len(sizes) == 1
    width, height = PAGE_MM[template]
    assert sizes[0] == pytest.approx((width, height), abs=2.0)

    german = MapLanguage("de")
    text = flat(pdf_text(result["OUTPUT_PDF"]))
    assert "Herne-Mitte: Starkregen" in text and "Prüfkarte" in text
    for name in MAP_ORDER:  # the legend names every layer on the map ...
        assert name in text
    for depth_class in ("10-30 cm", "30-50 cm", "50-100 cm"):  # ... and the hazard classes
        assert depth_class in text
    assert german("Data as of") in text
    scenario = next(s.official_name for s in HERNE_SCENARIOS if s.key == "extremregen")
    assert scenario in text and expected_as_of(sample_city, german) in text
    assert "Geobasis NRW (dl-de/zero-2.0)" in text and "Stadt Herne" in text
    operators = [row[0] for row in gpkg_rows(sample_city["geopackage"],
                                             "SELECT DISTINCT operator FROM sensor_stations")]
    assert operators and all(operator in text for operator in operators)
    assert "FB 16 Geo-Services" in text and german.date(datetime.date.today()) in text
    assert german("SYNTHETIC sample data: no real assets") in text

    info = gdal_info(result["OUTPUT_PDF"])  # georeferenced: a CRS and corners around the layers
    assert "ETRS89 / UTM zone 32N" in info["coordinateSystem"]["wkt"]
    xmin, ymin, xmax, ymax = corner_box(info)
    centre = city_project["street_lights"].extent().center()
    assert xmin < centre.x() < xmax and ymin < centre.y() < ymax

    image = QImage(result["OUTPUT_PNG"])
    assert image.width() == pytest.approx(width / 25.4 * 72, abs=2)
    assert image.height() == pytest.approx(height / 25.4 * 72, abs=2)
    assert image.dotsPerMeterX() == pytest.approx(72 / 0.0254, abs=2)
    png_info = gdal_info(result["OUTPUT_PNG"])  # the world file places the PNG as well
    pxmin, pymin, pxmax, pymax = corner_box(png_info)
    assert pxmin < centre.x() < pxmax and pymin < centre.y() < pymax
    assert "UTM zone 32N" in png_info["coordinateSystem"]["wkt"]

    with open(result["OUTPUT_SVG"], encoding="utf-8") as handle:
        svg = handle.read()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert leftovers(out) == []


def test_english_map_and_german_map_differ_only_in_language(hernetwin, city_project, tmp_path):
    need_tools()
    texts = {}
    for index, code in enumerate(("de", "en")):
        result = run_export({"LANGUAGE": index, "TITLE": "Herne", "FORMATS": [0], "DPI": 72,
                             "OUTPUT": str(tmp_path / "{}.pdf".format(code))})
        texts[code] = flat(pdf_text(result["OUTPUT_PDF"]))
    assert "Legend" in texts["en"] and "Data as of" in texts["en"] and "Sources and licences" in texts["en"]
    legend_de = MapLanguage("de")("Legend")
    assert legend_de == "Legende" and legend_de in texts["de"]
    today = datetime.date.today()
    assert today.strftime("%d.%m.%Y") in texts["de"] and today.isoformat() in texts["en"]


def test_a_district_sets_the_extent(hernetwin, city_project, tmp_path):
    need_tools()
    districts = city_project["districts"]
    feature = next(f for f in districts.getFeatures() if f["name"] == "Wanne")
    box = feature.geometry().boundingBox()
    result = run_export({"DISTRICT": "wanne", "FORMATS": [0], "DPI": 72, "OUTPUT": str(tmp_path / "wanne.pdf")})
    xmin, ymin, xmax, ymax = corner_box(gdal_info(result["OUTPUT_PDF"]))
    # the page's georeferencing covers the whole district, and the district fills most of the map
    assert xmin < box.xMinimum() and xmax > box.xMaximum() and ymin < box.yMinimum() and ymax > box.yMaximum()
    assert (xmax - xmin) < 3 * box.width() or (ymax - ymin) < 3 * box.height()


def test_unknown_district_names_the_districts(hernetwin, city_project, tmp_path):
    with pytest.raises(QgsProcessingException, match="Wanne"):
        run_export({"DISTRICT": "Atlantis", "FORMATS": [0], "OUTPUT": str(tmp_path / "x.pdf")})
    assert os.listdir(tmp_path) == []


def test_a_map_theme_decides_the_layers_and_the_legend(hernetwin, city_project, tmp_path):
    need_tools()
    project = QgsProject.instance()
    root = project.layerTreeRoot()
    for name, layer in city_project.items():
        root.findLayer(layer.id()).setItemVisibilityChecked(name in ("street_lights", "districts"))
    themes = project.mapThemeCollection()
    model = QgsLayerTreeModel(root)
    themes.insert("Beleuchtung", QgsMapThemeCollection.createThemeFromCurrentState(root, model))
    for layer in city_project.values():  # what is ticked now must not matter
        root.findLayer(layer.id()).setItemVisibilityChecked(True)
    result = run_export({"THEME": "Beleuchtung", "FORMATS": [0], "DPI": 72, "OUTPUT": str(tmp_path / "t.pdf")})
    text = flat(pdf_text(result["OUTPUT_PDF"]))
    assert "street_lights" in text and "districts" in text
    assert "sensor_stations" not in text and "extremregen" not in text
    with pytest.raises(QgsProcessingException, match="Beleuchtung"):
        run_export({"THEME": "Nachtplan", "FORMATS": [0], "OUTPUT": str(tmp_path / "n.pdf")})


# -- bad input: a clear message and no file ------------------------------------------------


def test_missing_template_file(hernetwin, city_project, tmp_path):
    missing = tmp_path / "nowhere" / "vorlage.qpt"
    with pytest.raises(QgsProcessingException, match="does not exist"):
        run_export({"TEMPLATE_FILE": str(missing), "OUTPUT": str(tmp_path / "map.pdf")})
    assert os.listdir(tmp_path) == []


def test_a_file_that_is_no_template(hernetwin, city_project, tmp_path):
    broken = tmp_path / "kaputt.qpt"
    broken.write_text("<Layout><unclosed></Layout", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="not a QGIS layout template"):
        run_export({"TEMPLATE_FILE": str(broken), "OUTPUT": str(tmp_path / "map.pdf")})
    assert sorted(os.listdir(tmp_path)) == ["kaputt.qpt"]


def test_a_template_without_a_map_item(hernetwin, city_project, tmp_path):
    source = load_template(QgsProject.instance(), "a4_portrait")
    source.removeLayoutItem(source.itemById(design.MAP))
    from qgis.core import QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    document = QDomDocument()
    document.appendChild(source.writeXml(document, QgsReadWriteContext()))
    own = tmp_path / "ohne_karte.qpt"
    own.write_text(document.toString(), encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="'map'"):
        run_export({"TEMPLATE_FILE": str(own), "OUTPUT": str(tmp_path / "map.pdf")})
    assert sorted(os.listdir(tmp_path)) == ["ohne_karte.qpt"]


def test_an_empty_layer(hernetwin, qgis_app, tmp_path):
    empty = QgsVectorLayer("Point?crs=EPSG:25832&field=light_point_no:string", "leere Leuchten", "memory")
    QgsProject.instance().addMapLayer(empty)
    try:
        with pytest.raises(QgsProcessingException, match="leere Leuchten.*no features"):
            run_export({"LAYERS": [empty.id()], "EXTENT": "369000,370000,5713000,5714000 [EPSG:25832]",
                        "OUTPUT": str(tmp_path / "map.pdf")})
    finally:
        QgsProject.instance().removeMapLayer(empty.id())
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("where", ["missing folder", "folder is a file"])
def test_an_output_path_that_cannot_be_written(hernetwin, city_project, tmp_path, where):
    if where == "missing folder":
        output = tmp_path / "gibt-es-nicht" / "map.pdf"
    else:
        (tmp_path / "datei").write_text("no folder")
        output = tmp_path / "datei" / "map.pdf"
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(QgsProcessingException, match="Cannot write to the folder"):
        run_export({"FORMATS": [0, 1], "DPI": 72, "OUTPUT": str(output)})
    assert sorted(os.listdir(tmp_path)) == before


def test_a_layer_that_failed_to_load(hernetwin, city_project, sample_city, tmp_path):
    """A project whose GeoPackage went missing: QGIS keeps the layer, unavailable, in the tree."""
    import shutil

    moved = tmp_path / "leuchten.gpkg"
    shutil.copy(sample_city["geopackage"], moved)
    project = QgsProject.instance()
    lights = QgsVectorLayer(str(moved) + "|layername=street_lights", "Leuchten (alt)", "ogr")
    assert lights.isValid()
    project.addMapLayer(lights)
    project_file = tmp_path / "herne.qgs"
    assert project.write(str(project_file))
    project.clear()
    os.remove(moved)
    assert project.read(str(project_file))
    assert any(not layer.isValid() for layer in project.mapLayers().values())
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QgsProcessingException, match=r"Leuchten \(alt\) failed to load"):
        run_export({"FORMATS": [0, 1], "DPI": 72, "OUTPUT": str(out / "map.pdf")})
    assert os.listdir(out) == []


def test_a_resolution_out_of_range_is_refused(qgis_app, city_project, tmp_path):
    from herne_twin_plugin.core.export.map_export import MapExportError, build_layout, export_layout

    layers = [city_project[name] for name in MAP_ORDER]
    layout = build_layout(QgsProject.instance(), layers, layers[0].extent(), "Herne")
    with pytest.raises(MapExportError, match="dpi"):
        export_layout(layout, png_path=str(tmp_path / "map.png"), dpi=5000)
    assert os.listdir(tmp_path) == []


def test_the_sample_geopackage_stamp_is_what_the_map_reads(sample_city):
    """The as-of check above relies on the GeoPackage's own last_change; make sure it has one."""
    with sqlite3.connect(sample_city["geopackage"]) as db:
        (stamp,) = db.execute("SELECT last_change FROM gpkg_contents WHERE table_name='extremregen'").fetchone()
    assert stamp


def _magenta_pixels(png):
    image = QImage(png)
    return sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
               if image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).blue() > 200
               and image.pixelColor(x, y).green() < 60)


def test_a_3d_view_image_sits_in_the_inset(hernetwin, city_project, tmp_path):
    """Any image from the offscreen 3D renderer (scripts/view3d.py) shows over the map's corner."""
    need_tools()
    view = QImage(800, 500, QImage.Format_RGB32)
    view.fill(QColor("#ff00ff"))
    view_path = str(tmp_path / "herne_3d.png")
    assert view.save(view_path)
    pages = {}
    for name, extra in (("with", {"VIEW_3D": view_path}), ("without", {})):
        result = run_export(dict(extra, FORMATS=[0], DPI=72, OUTPUT=str(tmp_path / "{}.pdf".format(name))))
        folder = tmp_path / name
        folder.mkdir()
        _sizes, pngs = pdf_pages(result["OUTPUT_PDF"], folder, dpi=50)
        pages[name] = _magenta_pixels(pngs[0])
    assert pages["without"] == 0
    assert pages["with"] > 100


def test_a_3d_view_that_is_no_image(hernetwin, city_project, tmp_path):
    fake = tmp_path / "view.png"
    fake.write_text("not a picture")
    with pytest.raises(QgsProcessingException, match="not an image"):
        run_export({"VIEW_3D": str(fake), "FORMATS": [0], "OUTPUT": str(tmp_path / "map.pdf")})
    assert sorted(os.listdir(tmp_path)) == ["view.png"]
