"""What a map says about its data: the "as of" times and the sources, read from the layers."""

import datetime

import pytest
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QVariant

from herne_twin_plugin.core.export.as_of import CITY_MODEL, HAZARD, SENSORS, as_of_lines, collect_as_of
from herne_twin_plugin.core.export.language import MapLanguage
from herne_twin_plugin.core.export.layer_facts import AS_OF_PROPERTY, SOURCE_PROPERTY
from herne_twin_plugin.core.export.sources import source_lines

UTC = datetime.timezone.utc


def memory_layer(name, fields, rows, geometry="Point"):
    layer = QgsVectorLayer("{}?crs=EPSG:25832".format(geometry), name, "memory")
    layer.dataProvider().addAttributes([QgsField(field, kind) for field, kind in fields])
    layer.updateFields()
    features = []
    for index, values in enumerate(rows):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(values))
        point = QgsGeometry.fromPointXY(QgsPointXY(369000 + index * 20, 5713000))
        feature.setGeometry(point if geometry == "Point" else point.buffer(5, 2))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


def utc(moment):
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute), Qt.UTC)


def readings_layer(times):
    return memory_layer("Messwerte", [("station_id", QVariant.String), ("last_time", QVariant.DateTime),
                                      ("operator", QVariant.String)],
                        [("S{}".format(i), utc(t), op) for i, (t, op) in enumerate(times)])


def test_sensor_readings_are_as_of_their_newest_reading(qgis_app):
    times = [(datetime.datetime(2026, 11, 25, 21, 40, tzinfo=UTC), "Stadtwerke Herne AG"),
             (datetime.datetime(2026, 11, 26, 6, 15, tzinfo=UTC), "Stadt Herne"),
             (datetime.datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "Stadt Herne")]
    entries = collect_as_of([readings_layer(times)])
    assert [(e.kind, e.when) for e in entries] == [(SENSORS, max(t for t, _ in times))]
    german, english = MapLanguage("de"), MapLanguage("en")
    assert german.moment(entries[0].when) == "26.11.2026 06:15 UTC"
    assert english.moment(entries[0].when) == "2026-11-26 06:15 UTC"
    assert "26.11.2026 06:15 UTC" in as_of_lines(entries, german)[0]


def test_an_explicit_as_of_wins(qgis_app):
    layer = readings_layer([(datetime.datetime(2026, 11, 26, 6, 15, tzinfo=UTC), "Stadt Herne")])
    layer.setCustomProperty(AS_OF_PROPERTY, "2026-11-01T12:00:00Z")
    (entry,) = collect_as_of([layer])
    assert entry.when == datetime.datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_hazard_scenarios_and_city_model_dates(qgis_app):
    hazard = memory_layer("Wassertiefen", [("scenario", QVariant.String), ("depth_class", QVariant.String)],
                          [("extremregen", "50-100"), ("seltener_starkregen", "10-30")], geometry="Polygon")
    buildings = memory_layer("LoD2", [("building_id", QVariant.String), ("creation_date", QVariant.Date)],
                             [("DENW1", QDate(2024, 3, 12)), ("DENW2", QDate(2023, 5, 2))], geometry="Polygon")
    entries = collect_as_of([buildings, hazard])
    assert [(e.kind, e.detail) for e in entries] == [(HAZARD, "Extremregen"), (HAZARD, "Seltener Starkregen"),
                                                     (CITY_MODEL, "")]
    assert entries[-1].when == datetime.date(2024, 3, 12)
    lines = as_of_lines(entries, MapLanguage("en"))
    assert lines[0] == "Heavy-rain scenario Extremregen: date not stated"  # honest where the data says nothing
    assert lines[-1] == "City model (LoD2): 2024-03-12"


def test_a_wms_scenario_layer_is_named_by_its_wms_layer(qgis_app):
    # a loopback address where nothing listens: the layer is not valid, its source still says what it shows
    wms = QgsRasterLayer("crs=EPSG:25832&format=image/png&layers=aussergewoehnlicher_starkregen&styles="
                         "&url=http://127.0.0.1:9/ows", "Starkregen", "wms")
    (entry,) = collect_as_of([wms])
    assert (entry.kind, entry.detail) == (HAZARD, "Außergewöhnlicher Starkregen")


def test_sources_name_the_city_geobasis_bkg_and_sensor_operators(qgis_app):
    readings = readings_layer([(datetime.datetime(2026, 11, 26, tzinfo=UTC), "Stadtwerke Herne AG"),
                               (datetime.datetime(2026, 11, 26, tzinfo=UTC), "Emschergenossenschaft")])
    bkg = QgsRasterLayer("crs=EPSG:25832&format=image/png&layers=nw_tiefe_agw&styles=&url=http://127.0.0.1:9/wms",
                         "BKG Starkregen", "wms")
    own = memory_layer("Bäume", [("id", QVariant.Int)], [(1,)])
    own.setCustomProperty(SOURCE_PROPERTY, "Stadt Herne, Baumkataster (dl-de/zero-2.0)")
    lines = source_lines([readings, bkg, own, own], MapLanguage("en"))
    assert lines[:2] == ["Stadt Herne, Digitaler Zwilling", "Geobasis NRW (dl-de/zero-2.0)"]
    assert any(line.startswith("© BKG") for line in lines)
    assert "Sensors: Emschergenossenschaft, Stadtwerke Herne AG" in lines
    assert lines.count("Stadt Herne, Baumkataster (dl-de/zero-2.0)") == 1
    assert not any("BKG" in line for line in source_lines([readings], MapLanguage("en")))


def test_an_unknown_map_language_is_refused(qgis_app):
    from herne_twin_plugin.core.export.errors import MapExportError

    with pytest.raises(MapExportError, match="fr"):
        MapLanguage("fr")
