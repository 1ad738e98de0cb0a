<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>HerneTwin</name>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>&amp;Herne Digital Twin</source>
      <translation>Digitaler &amp;Zwilling Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/about.py" />
      <source>&lt;b&gt;Herne Digital Twin&lt;/b&gt; {version}&lt;br&gt;The digital twin of the city of Herne in QGIS.&lt;br&gt;&lt;br&gt;Sample data shipped with the plugin is synthetic: it is placed at real Herne coordinates but shows no real assets.</source>
      <translation>&lt;b&gt;Digitaler Zwilling Herne&lt;/b&gt; {version}&lt;br&gt;Der digitale Zwilling der Stadt Herne in QGIS.&lt;br&gt;&lt;br&gt;Die mitgelieferten Beispieldaten sind synthetisch: Sie liegen an echten Herner Koordinaten, zeigen aber keine echten Anlagen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/about.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>About Herne Digital Twin</source>
      <translation>Über Digitaler Zwilling Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>As of: {date}</source>
      <translation>Stand: {date}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Cannot write to the folder {folder}</source>
      <translation>In den Ordner {folder} kann nicht geschrieben werden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <location filename="../herne_twin_plugin/processing/provider.py" />
      <source>Herne Digital Twin</source>
      <translation>Digitaler Zwilling Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Legend</source>
      <translation>Legende</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Service Catalog</source>
      <translation>Dienstkatalog</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Show the catalog of the city's services</source>
      <translation>Katalog der städtischen Dienste anzeigen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Sources: {sources}</source>
      <translation>Quellen: {sources}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The map could not be exported to {path}</source>
      <translation>Die Karte konnte nicht nach {path} exportiert werden</translation>
    </message>
  </context>
</TS>
