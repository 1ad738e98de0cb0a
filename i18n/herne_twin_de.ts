<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>HerneTwin</name>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>  {reason}: {count}</source>
      <translation>  {reason}: {count}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source> min</source>
      <translation> min</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>"{part}" is not supported</source>
      <translation>„{part}“ wird nicht unterstützt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>&amp;Herne Digital Twin</source>
      <translation>Digitaler &amp;Zwilling Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>(It had been imported before; its buildings were replaced.)</source>
      <translation>(Sie war schon importiert; ihre Gebäude wurden ersetzt.)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>(deleted)</source>
      <translation>(gelöscht)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>(empty)</source>
      <translation>(leer)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>(none)</source>
      <translation>(keine)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>(the extent below)</source>
      <translation>(der Ausschnitt unten)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>(whole feature)</source>
      <translation>(ganzes Objekt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>1 conflict</source>
      <translation>1 Konflikt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>1 error</source>
      <translation>1 Fehler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>1 field</source>
      <translation>1 Feld</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>1 – very good</source>
      <translation>1 – sehr gut</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>2 – good</source>
      <translation>2 – gut</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>3 – fair</source>
      <translation>3 – ausreichend</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>3D view image for the inset (e.g. from scripts/view3d.py)</source>
      <translation>3D-Ansicht als Einblendung (z. B. aus scripts/view3d.py)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>4 – poor</source>
      <translation>4 – schlecht</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>5 – unusable</source>
      <translation>5 – unbrauchbar</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/online_edit_guard.py" />
      <source>; and {count} more (see the log)</source>
      <translation>; und {count} weitere (siehe Protokoll)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/about.py" />
      <source>&lt;b&gt;Herne Digital Twin&lt;/b&gt; {version}&lt;br&gt;The digital twin of the city of Herne in QGIS.&lt;br&gt;&lt;br&gt;Sample data shipped with the plugin is synthetic: it is placed at real Herne coordinates but shows no real assets.</source>
      <translation>&lt;b&gt;Digitaler Zwilling Herne&lt;/b&gt; {version}&lt;br&gt;Der digitale Zwilling der Stadt Herne in QGIS.&lt;br&gt;&lt;br&gt;Die mitgelieferten Beispieldaten sind synthetisch: Sie liegen an echten Herner Koordinaten, zeigen aber keine echten Anlagen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>&lt;b&gt;{layer}&lt;/b&gt;, feature {key}</source>
      <translation>&lt;b&gt;{layer}&lt;/b&gt;, Objekt {key}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/sensorthings.py" />
      <source>@iot.nextLink is not a link</source>
      <translation>@iot.nextLink ist kein Link</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>A CityJSONFeature has no CityObjects or no vertices.</source>
      <translation>Ein CityJSONFeature hat keine CityObjects oder keine Stützpunkte (vertices).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>A buffer in metres needs the assets in a projected coordinate system in metres (such as EPSG:25832); reproject them first.</source>
      <translation>Ein Puffer in Metern braucht die Objekte in einem projizierten Koordinatensystem in Metern (etwa EPSG:25832); bitte zuerst umprojizieren.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/merge.py" />
      <source>A deleted feature is decided with 'mine' or 'theirs', not with a value.</source>
      <translation>Ein gelöschtes Objekt wird mit 'mine' (meine Fassung) oder 'theirs' (die des Servers) entschieden, nicht mit einem Wert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>A different file named {name} is already in the shared folder; it was not overwritten.</source>
      <translation>Im gemeinsamen Ordner liegt schon eine andere Datei namens {name}; sie wurde nicht überschrieben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>A different file named {name} is already on the server; it was not overwritten.</source>
      <translation>Auf dem Server liegt schon eine andere Datei namens {name}; sie wurde nicht überschrieben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>A district</source>
      <translation>Ein Stadtbezirk</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>A district needs the area layer (the districts) to be found in.</source>
      <translation>Für einen Stadtbezirk wird der Gebietslayer (die Stadtbezirke) gebraucht, in dem er gesucht wird.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>A face refers to the vertex {index}, which does not exist.</source>
      <translation>Eine Fläche verweist auf den Stützpunkt {index}, den es nicht gibt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/merge.py" />
      <source>A geometry could not be read (neither WKB nor WKT).</source>
      <translation>Eine Geometrie ließ sich nicht lesen (weder WKB noch WKT).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package_store.py" />
      <source>A geometry from the server could not be read.</source>
      <translation>Eine Geometrie vom Server konnte nicht gelesen werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>A line of the CityJSONSeq file is longer than {limit} MB: refused.</source>
      <translation>Eine Zeile der CityJSONSeq-Datei ist länger als {limit} MB: abgelehnt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>A line of the CityJSONSeq file is not a CityJSONFeature.</source>
      <translation>Eine Zeile der CityJSONSeq-Datei ist kein CityJSONFeature.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>A line of the CityJSONSeq file is not valid JSON: {error}</source>
      <translation>Eine Zeile der CityJSONSeq-Datei ist kein gültiges JSON: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>A polygon drawn on the map</source>
      <translation>Ein auf der Karte gezeichnetes Polygon</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geometry.py" />
      <source>A polygon has {n}D coordinates; LoD2 needs 3D.</source>
      <translation>Ein Polygon hat {n}D-Koordinaten; LoD2 braucht 3D.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geometry.py" />
      <source>A polygon's coordinate list does not divide into x y z triples.</source>
      <translation>Die Koordinatenliste eines Polygons lässt sich nicht in x-y-z-Tripel teilen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>A resized photo needs a size of at least 16 pixels, not {size}.</source>
      <translation>Ein verkleinertes Foto braucht eine Größe von mindestens 16 Pixeln, nicht {size}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>A semantic surface index points to no surface type.</source>
      <translation>Ein semantischer Flächenindex verweist auf keinen Flächentyp.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>A service named {name} already exists.</source>
      <translation>Ein Dienst namens {name} existiert bereits.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>A single object in the file is larger than {limit} MB: refused (a broken or hostile file?).</source>
      <translation>Ein einzelnes Objekt der Datei ist größer als {limit} MB: abgelehnt (eine defekte oder feindselige Datei?).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>A sync would send {push} changes to the server ({merged} merged with server edits), take {pull} changes from the server, keep {conflicts} conflicts and {errors} errors open, and confirm {already} changes the server already has.</source>
      <translation>Eine Synchronisierung würde {push} Änderungen an den Server senden ({merged} mit Änderungen auf dem Server zusammengeführt), {pull} Änderungen vom Server übernehmen, {conflicts} Konflikte und {errors} Fehler offen lassen und {already} Änderungen bestätigen, die der Server schon hat.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>A {type} cannot be added as a user service.</source>
      <translation>Ein Eintrag vom Typ {type} kann nicht als eigener Dienst angelegt werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>A3 landscape</source>
      <translation>A3 Querformat</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>A4 landscape</source>
      <translation>A4 Querformat</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>A4 portrait</source>
      <translation>A4 Hochformat</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/about.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>About Herne Digital Twin</source>
      <translation>Über Digitaler Zwilling Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Access denied (HTTP 403): the server knows the request but does not allow it for these credentials.</source>
      <translation>Zugriff verweigert (HTTP 403): Der Server kennt die Anfrage, erlaubt sie mit diesen Anmeldedaten aber nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/alerts.py" />
      <source>Acknowledge</source>
      <translation>Bestätigen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/alerts.py" />
      <source>Acknowledged</source>
      <translation>Bestätigt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Add a service…</source>
      <translation>Dienst hinzufügen…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Add at least one city model file or folder.</source>
      <translation>Fügen Sie mindestens eine Stadtmodell-Datei oder einen Ordner hinzu.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Add files…</source>
      <translation>Dateien hinzufügen…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Add folder…</source>
      <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>Add service</source>
      <translation>Dienst hinzufügen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Add the layers to the map</source>
      <translation>Layer zur Karte hinzufügen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Add the readings of every station of the source over the time range as a temporal layer, to play with the time slider</source>
      <translation>Die Messwerte aller Stationen der Quelle im Zeitraum als zeitlichen Layer hinzufügen, zum Abspielen mit dem Zeitschieberegler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Added the service {service}.</source>
      <translation>Dienst {service} hinzugefügt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Added {count} layer(s) of {service} to the map.</source>
      <translation>{count} Layer von {service} zur Karte hinzugefügt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Air quality</source>
      <translation>Luftqualität</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <source>Air temperature</source>
      <translation>Lufttemperatur</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Alarm level</source>
      <translation>Alarmstufe</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_style.py" />
      <source>Alarm level exceeded</source>
      <translation>Alarmstufe überschritten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Alarm level reached</source>
      <translation>Alarmstufe erreicht</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Alerts</source>
      <translation>Alarme</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/summary.py" />
      <source>All districts</source>
      <translation>Alle Stadtbezirke</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>All outcomes</source>
      <translation>Alle Ergebnisse</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>All pages in one PDF</source>
      <translation>Alle Seiten in einer PDF</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>All: my change</source>
      <translation>Alle: meine Änderung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>All: server</source>
      <translation>Alle: Server</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Already applied</source>
      <translation>Schon übernommen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/alerts.py" />
      <source>An alert rule is either above or below a value.</source>
      <translation>Eine Alarmregel gilt entweder über oder unter einem Wert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>An asset layer to inspect is not a valid vector layer.</source>
      <translation>Ein zu kontrollierender Anlagenlayer ist kein gültiger Vektorlayer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>An asset layer to inspect needs a table name and a key column.</source>
      <translation>Ein zu kontrollierender Anlagenlayer braucht einen Tabellennamen und eine Schlüsselspalte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/render.py" />
      <source>An image of {width} x {height} pixels cannot be rendered.</source>
      <translation>Ein Bild von {width} x {height} Pixeln kann nicht gerendert werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/common.py" />
      <source>An insert into {layer} carries no {key}: without it a retried insert could not be recognised.</source>
      <translation>Ein neues Objekt in {layer} hat kein {key}: ohne diesen Schlüssel wäre ein wiederholtes Einfügen nicht zu erkennen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>An offline basemap, the latest sensor readings and the heavy-rain hazard layers.</source>
      <translation>Eine Offline-Hintergrundkarte, die neuesten Sensormesswerte und die Starkregen-Gefahrenlayer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package_store.py" />
      <source>Another sync of {path} is running; try again when it has finished.</source>
      <translation>Eine andere Synchronisierung von {path} läuft; versuchen Sie es erneut, wenn sie fertig ist.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Applied on the server</source>
      <translation>Auf dem Server übernommen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Apply</source>
      <translation>Übernehmen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Area the hazard data covers (default: its extent)</source>
      <translation>Von den Gefahrendaten abgedeckte Fläche (Standard: ihre Ausdehnung)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Area: extent</source>
      <translation>Gebiet: Ausdehnung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Area: polygon layer (districts or a drawn polygon)</source>
      <translation>Gebiet: Polygonlayer (Stadtbezirke oder ein gezeichnetes Polygon)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Asset</source>
      <translation>Anlage</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Asset layer</source>
      <translation>Anlagenlayer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Asset layers to inspect</source>
      <translation>Zu kontrollierende Bestandslayer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Assets (buildings, street lights, sensors)</source>
      <translation>Objekte (Gebäude, Straßenleuchten, Sensoren)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Assets in a depth class</source>
      <translation>Objekte in einer Tiefenklasse</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Assets without hazard data</source>
      <translation>Objekte ohne Gefahrendaten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Assume EPSG:25832 where a file names no coordinate system</source>
      <translation>EPSG:25832 annehmen, wo eine Datei kein Koordinatensystem nennt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Atlas (one page per feature)</source>
      <translation>Atlas (eine Seite je Objekt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>Authentication</source>
      <translation>Authentifizierung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Author</source>
      <translation>Bearbeitung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>Author: {author}</source>
      <translation>Bearbeitung: {author}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>BKG: exceptional event (about once in 100 years)</source>
      <translation>BKG: außergewöhnliches Ereignis (etwa einmal in 100 Jahren)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>BKG: extreme event (about 100 mm/h)</source>
      <translation>BKG: extremes Ereignis (etwa 100 mm/h)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Base value</source>
      <translation>Ausgangswert</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Basemap</source>
      <translation>Hintergrundkarte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Basemap (a map service layer rendered for offline use)</source>
      <translation>Hintergrundkarte (ein Kartendienst-Layer, für die Offline-Nutzung gerendert)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Basemap resolution (metres per pixel)</source>
      <translation>Auflösung der Hintergrundkarte (Meter je Pixel)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Basemap resolution (per pixel)</source>
      <translation>Auflösung der Hintergrundkarte (je Pixel)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Before anything is copied: would every edit find its way back to the server?</source>
      <translation>Bevor etwas kopiert wird: Fände jede Änderung ihren Weg zurück zum Server?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>Below 10 cm</source>
      <translation>Unter 10 cm</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Below the warning level</source>
      <translation>Unter der Warnstufe</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Blocked</source>
      <translation>Verstopft</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Brings a field package (its .gpkg) and the city's servers together. The server's changes in the package's area are taken into the package; the inspector's edits are merged with them per field and sent (WFS-T or OGC API Features). An edit that overlaps a server edit becomes a conflict and is never overwritten: decide it in the conflict dialog and sync again. Every feature gets a receipt (applied, merged, conflict, rejected with the server's reason, error, already applied, taken from the server), kept in the package and written as CSV next to it. Dry run: says what a sync would do, without changing the package or the server. Cancel stops after the current batch of changes: what the server has not confirmed stays in the package and is sent next time.</source>
      <translation>Gleicht ein Feldpaket (seine .gpkg) mit den Servern der Stadt ab. Die Änderungen des Servers im Gebiet des Pakets werden ins Paket übernommen; die Änderungen der Prüferin oder des Prüfers werden je Feld mit ihnen zusammengeführt und gesendet (WFS-T oder OGC API Features). Eine Änderung, die sich mit einer Änderung auf dem Server überschneidet, wird zum Konflikt und nie überschrieben: entscheiden Sie ihn im Konfliktdialog und synchronisieren Sie erneut. Jedes Objekt erhält eine Quittung (übernommen, zusammengeführt, Konflikt, abgelehnt mit dem Grund des Servers, Fehler, schon übernommen, vom Server übernommen), die im Paket bleibt und als CSV daneben geschrieben wird. Probelauf: sagt, was eine Synchronisierung tun würde, ohne Paket oder Server zu ändern. Abbrechen endet nach dem laufenden Block von Änderungen: was der Server nicht bestätigt hat, bleibt im Paket und wird beim nächsten Mal gesendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Broken or hanging branch</source>
      <translation>Ast gebrochen oder hängend</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Buffer around the assets (m)</source>
      <translation>Puffer um die Objekte (m)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_layers.py" />
      <source>Building footprints</source>
      <translation>Gebäudegrundrisse</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Buildings</source>
      <translation>Gebäude</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_layers.py" />
      <source>Buildings (LoD2 solids)</source>
      <translation>Gebäude (LoD2-Körper)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Buildings imported</source>
      <translation>Importierte Gebäude</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Buildings that failed</source>
      <translation>Nicht importierte Gebäude</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>By building function</source>
      <translation>Nach Gebäudefunktion</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>By height</source>
      <translation>Nach Höhe</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>CSV table (*.csv)</source>
      <translation>CSV-Tabelle (*.csv)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Cable exposed</source>
      <translation>Kabel freiliegend</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/gui/field/online_edit_guard.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Cancel</source>
      <translation>Abbrechen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Cancel packaging</source>
      <translation>Paketerstellung abbrechen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Canceling… the tile being read is rolled back.</source>
      <translation>Wird abgebrochen… die gerade gelesene Kachel wird zurückgenommen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Cancelled.</source>
      <translation>Abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Cancelling …</source>
      <translation>Wird abgebrochen …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geopackage_writer.py" />
      <source>Cannot create the layer {layer}: {error}</source>
      <translation>Der Layer {layer} kann nicht angelegt werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/tiles.py" />
      <source>Cannot read the folder {folder}: {error}</source>
      <translation>Der Ordner {folder} kann nicht gelesen werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>Cannot read {path}: {error}</source>
      <translation>{path} kann nicht gelesen werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geopackage_writer.py" />
      <source>Cannot write the GeoPackage {path}: {error}</source>
      <translation>Das GeoPackage {path} kann nicht geschrieben werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Cannot write to the folder {folder}: it does not exist.</source>
      <translation>In den Ordner {folder} kann nicht geschrieben werden: er existiert nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Cannot write to the folder {folder}: no permission.</source>
      <translation>In den Ordner {folder} kann nicht geschrieben werden: keine Berechtigung.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Checking {count} layers before packaging...</source>
      <translation>{count} Layer werden vor dem Packen geprüft …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Checking {count} layers …</source>
      <translation>{count} Layer werden geprüft …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/field_package.py" />
      <source>Choose a field package (its .gpkg file or its folder).</source>
      <translation>Ein Feldpaket wählen (seine .gpkg-Datei oder seinen Ordner).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Choose a sensor source from the catalog first.</source>
      <translation>Wählen Sie zuerst eine Sensorquelle aus dem Katalog.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Choose a source and a station first.</source>
      <translation>Wählen Sie zuerst eine Quelle und eine Station.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Choose a template file (.qpt) or one of the three templates.</source>
      <translation>Bitte eine Vorlagendatei (.qpt) oder eine der drei Vorlagen wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Choose an area for the package (a map extent, a district or a drawn polygon).</source>
      <translation>Wählen Sie ein Gebiet für das Paket (einen Kartenausschnitt, einen Stadtbezirk oder ein gezeichnetes Polygon).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Choose at least one format.</source>
      <translation>Bitte mindestens ein Format wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Choose at least one layer to take into the field.</source>
      <translation>Wählen Sie mindestens einen Layer, der mit ins Feld soll.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Choose at least one of the formats {choices}.</source>
      <translation>Bitte mindestens eines der Formate {choices} wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Choose the GeoPackage to write.</source>
      <translation>Wählen Sie das GeoPackage, in das geschrieben wird.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Choose the assets to inspect: layers from WFS, OGC API Features or PostGIS.</source>
      <translation>Wählen Sie die zu kontrollierenden Objekte: Layer aus WFS, OGC API Features oder PostGIS.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Choose the layer whose features make the pages.</source>
      <translation>Bitte den Layer wählen, dessen Objekte die Seiten ergeben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Choose the sensor stations layer as device register: without it the LoRaWAN devices cannot be placed.</source>
      <translation>Wählen Sie den Layer der Sensorstationen als Geräteregister: Ohne ihn können die LoRaWAN-Geräte nicht verortet werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Choose where to save the export.</source>
      <translation>Bitte wählen, wo der Export gespeichert wird.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <location filename="../herne_twin_plugin/gui/city_model_drop.py" />
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>City model</source>
      <translation>Stadtmodell</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_layers.py" />
      <source>City model (LoD2)</source>
      <translation>Stadtmodell (LoD2)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/as_of.py" />
      <source>City model (LoD2): {when}</source>
      <translation>Stadtmodell (LoD2): {when}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>City model GeoPackage</source>
      <translation>Stadtmodell-GeoPackage</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>City model files</source>
      <translation>Stadtmodell-Dateien</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>City model files (paths separated by ; or new lines)</source>
      <translation>Stadtmodell-Dateien (Pfade getrennt durch ; oder Zeilenumbrüche)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>City models (*.gml *.xml *.json *.jsonl);;All files (*)</source>
      <translation>Stadtmodelle (*.gml *.xml *.json *.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>City of Herne</source>
      <translation>Stadt Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>CityGML (1.0, 2.0) and CityJSON files, or folders of NRW LoD2 tiles:</source>
      <translation>CityGML- (1.0, 2.0) und CityJSON-Dateien oder Ordner mit NRW-LoD2-Kacheln:</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>CityGML 3.0 is not supported yet: the importer reads CityGML 1.0 and 2.0.</source>
      <translation>CityGML 3.0 wird noch nicht unterstützt: der Import liest CityGML 1.0 und 2.0.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>CityGML tiles folder</source>
      <translation>Ordner der CityGML-Kacheln</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>CityJSON version '{version}' is not supported: the importer reads 1.0, 1.1 and 2.0.</source>
      <translation>CityJSON-Version '{version}' wird nicht unterstützt: der Import liest 1.0, 1.1 und 2.0.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Clearance over road or path not kept</source>
      <translation>Lichtraumprofil nicht frei</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Commercial and industry</source>
      <translation>Handel, Gewerbe und Industrie</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Condition</source>
      <translation>Zustand</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Condition 4 or 5: please name at least one defect.</source>
      <translation>Zustand 4 oder 5: bitte mindestens einen Mangel angeben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Conflict</source>
      <translation>Konflikt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Conflicts</source>
      <translation>Konflikte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Connect</source>
      <translation>Verbinden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Connected</source>
      <translation>Verbunden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/mqtt_check.py" />
      <source>Connected to the MQTT broker {host}.</source>
      <translation>Verbunden mit dem MQTT-Broker {host}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Connected to the NGSI v2 broker: {count} entities.</source>
      <translation>Verbunden mit dem NGSI-v2-Broker: {count} Entitäten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Connected to the SensorThings API {version}: {count} entity sets.</source>
      <translation>Verbunden mit der SensorThings API {version}: {count} Entitätsmengen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>Connected to {host}; listening to {topics}.</source>
      <translation>Verbunden mit {host}; empfange {topics}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Connected to {title}: {count} collections.</source>
      <translation>Verbunden mit {title}: {count} Collections.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Connected to {title}: {count} feature types.</source>
      <translation>Verbunden mit {title}: {count} Objektarten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Connected to {title}: {count} layers.</source>
      <translation>Verbunden mit {title}: {count} Layer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Connecting</source>
      <translation>Verbinde</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>Connecting to {host}…</source>
      <translation>Verbinde mit {host} …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Copying {layer} from {url}...</source>
      <translation>{layer} wird von {url} kopiert …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/scene.py" />
      <source>Could not create the flat terrain raster.</source>
      <translation>Das Raster für das ebene Gelände konnte nicht erstellt werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Could not write {path}: {error}</source>
      <translation>{path} konnte nicht geschrieben werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Coverage layer (one page per feature)</source>
      <translation>Abdeckungslayer (eine Seite je Objekt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Create field package</source>
      <translation>Feldpaket erstellen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Create field package…</source>
      <translation>Feldpaket erstellen…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Cutting the hazard layer {layer} to the area...</source>
      <translation>Der Gefahrenlayer {layer} wird auf das Gebiet zugeschnitten …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>Data as of</source>
      <translation>Datenstand</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Deadwood in the crown</source>
      <translation>Totholz in der Krone</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/merge.py" />
      <source>Decide every conflict before saving; still open: {fields}.</source>
      <translation>Entscheiden Sie vor dem Speichern jeden Konflikt; noch offen: {fields}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Decide every field first; still open: {fields}.</source>
      <translation>Erst jedes Feld entscheiden; noch offen: {fields}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Decision</source>
      <translation>Entscheidung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Decision saved for {layer} {key}; the next sync sends it to the server.</source>
      <translation>Entscheidung für {layer} {key} gespeichert; die nächste Synchronisation überträgt sie zum Server.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Defect types</source>
      <translation>Mängelarten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Defects</source>
      <translation>Mängel</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Delete</source>
      <translation>Löschen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Deleted here, edited on the server</source>
      <translation>Hier gelöscht, auf dem Server bearbeitet</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Deleted on the server, edited here</source>
      <translation>Auf dem Server gelöscht, hier bearbeitet</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Depth class field of the polygons (default: depth_class)</source>
      <translation>Feld der Tiefenklasse in den Polygonen (Standard: depth_class)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>Depth-class polygons give classes, not depths: max_depth_cm and mean_depth_cm stay empty.</source>
      <translation>Tiefenklassen-Polygone liefern Klassen, keine Tiefen: max_depth_cm und mean_depth_cm bleiben leer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>Depth-class polygons overlap one another on {count} assets: there each part counts once, in the deepest class.</source>
      <translation>Tiefenklassen-Polygone überlappen sich bei {count} Objekten: Dort zählt jeder Teil einmal, in der tiefsten Klasse.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Description</source>
      <translation>Bezeichnung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Device register</source>
      <translation>Geräteregister</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Dirty</source>
      <translation>Verschmutzung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Disconnect</source>
      <translation>Trennen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>District</source>
      <translation>Stadtbezirk</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>District (instead of an extent)</source>
      <translation>Stadtbezirk (statt eines Ausschnitts)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>District (name of a feature of the area layer)</source>
      <translation>Stadtbezirk (Name eines Objekts des Gebietslayers)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Districts for the summary</source>
      <translation>Stadtbezirke für die Zusammenfassung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Districts layer</source>
      <translation>Layer der Stadtbezirke</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>Districts, streets and street lights</source>
      <translation>Stadtbezirke, Straßen und Straßenbeleuchtung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/tiles.py" />
      <source>Download of {url} failed: {error}</source>
      <translation>Der Download von {url} ist fehlgeschlagen: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Draw on the map (right click closes the polygon)</source>
      <translation>Auf der Karte zeichnen (Rechtsklick schließt das Polygon)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Drawn package area</source>
      <translation>Gezeichnetes Paketgebiet</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Dry run</source>
      <translation>Probelauf</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Dry run (only say what a sync would do)</source>
      <translation>Probelauf (nur sagen, was eine Synchronisierung tun würde)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Dry run of {path}: nothing is changed.</source>
      <translation>Probelauf für {path}: nichts wird geändert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Dry run, sync and open conflicts of an offline field package</source>
      <translation>Probelauf, Synchronisation und offene Konflikte eines Feldpakets</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Dry run: asking the servers what changed …</source>
      <translation>Probelauf: die Server werden nach Änderungen gefragt …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Dry run: what a sync would do</source>
      <translation>Probelauf: was eine Synchronisation täte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Dry run: {push} to send, {pull} from the server, {conflicts} conflict(s); nothing was changed.</source>
      <translation>Probelauf: {push} zu senden, {pull} vom Server, {conflicts} Konflikt(e); nichts wurde geändert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Duplicates {duplicates}, late {late}, dropped (queue full) {dropped}.</source>
      <translation>Duplikate {duplicates}, verspätet {late}, verworfen (Warteschlange voll) {dropped}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>Edit service</source>
      <translation>Dienst bearbeiten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Edit the service…</source>
      <translation>Dienst bearbeiten…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Edits still pending</source>
      <translation>Noch nicht gesendete Änderungen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>English</source>
      <translation>Englisch</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Enter a name for the service.</source>
      <translation>Geben Sie einen Namen für den Dienst ein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Enter the service URL.</source>
      <translation>Geben Sie die URL des Dienstes ein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Entries of type {type} cannot be tested; open them in the browser instead.</source>
      <translation>Einträge vom Typ {type} lassen sich nicht testen; öffnen Sie sie stattdessen im Browser.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Error</source>
      <translation>Fehler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Errors</source>
      <translation>Fehler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Every inspection needs its ID; it is filled in automatically.</source>
      <translation>Jede Kontrolle braucht ihre ID; sie wird automatisch eingetragen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Every layer can go offline and sync back safely.</source>
      <translation>Jeder Layer kann offline gehen und sicher zurück synchronisiert werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>Exceptional heavy rain</source>
      <translation>Außergewöhnlicher Starkregen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Export</source>
      <translation>Exportieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Export CSV …</source>
      <translation>CSV exportieren …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Export CSV…</source>
      <translation>CSV exportieren…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Export PNG…</source>
      <translation>PNG exportieren…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Export atlas (one page per feature)</source>
      <translation>Atlas exportieren (eine Seite je Objekt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Export map (PDF, PNG, SVG)</source>
      <translation>Karte exportieren (PDF, PNG, SVG)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Export the chart</source>
      <translation>Diagramm exportieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Export the readings</source>
      <translation>Messwerte exportieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Export the receipts</source>
      <translation>Quittungen exportieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Exported {count} file(s): {first}</source>
      <translation>{count} Datei(en) exportiert: {first}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Exporting to {path} …</source>
      <translation>Export nach {path} …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Exposure</source>
      <translation>Betroffenheit</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Exposure per district</source>
      <translation>Betroffenheit je Stadtbezirk</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Extent</source>
      <translation>Ausschnitt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>Extreme rain (90 mm/h)</source>
      <translation>Extremregen (90 mm/h)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>FIWARE NGSI v2</source>
      <translation>FIWARE NGSI v2</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>FIWARE service</source>
      <translation>FIWARE-Service</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>FIWARE service path</source>
      <translation>FIWARE-Servicepfad</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Feature</source>
      <translation>Objekt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/conflicts.py" />
      <source>Feature {key} of layer {table} was edited again after the conflict was found: sync again to see the conflict with the latest edit.</source>
      <translation>Objekt {key} von Layer {table} wurde nach dem Erkennen des Konflikts erneut bearbeitet: synchronisieren Sie erneut, um den Konflikt mit der neuesten Änderung zu sehen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Features taken offline</source>
      <translation>Offline mitgenommene Objekte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Federal Agency for Cartography (BKG)</source>
      <translation>Bund (BKG)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Field</source>
      <translation>Feld</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Field inspections</source>
      <translation>Feldbegehungen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Field package</source>
      <translation>Feldpaket</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Field package (.gpkg)</source>
      <translation>Feldpaket (.gpkg)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Field package made: {path}</source>
      <translation>Feldpaket erstellt: {path}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Field package pre-check</source>
      <translation>Vorprüfung des Feldpakets</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Field package {path} made.</source>
      <translation>Feldpaket {path} erstellt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Field packages (*.gpkg)</source>
      <translation>Feldpakete (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Field sync</source>
      <translation>Feld-Synchronisation</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Field sync: dry run</source>
      <translation>Feld-Synchronisation: Probelauf</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Files named like NRW tiles (LoD2_32_E_N_1_NW) outside the map are left out.</source>
      <translation>Dateien mit NRW-Kachelnamen (LoD2_32_E_N_1_NW) außerhalb der Karte werden ausgelassen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Filter</source>
      <translation>Filter</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Filter expression (e.g. "lamp_type" = 'LED')</source>
      <translation>Filterausdruck (z. B. "lamp_type" = 'LED')</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/scene.py" />
      <source>Flat terrain at {height:g} m</source>
      <translation>Ebenes Gelände auf {height:g} m</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Folder</source>
      <translation>Ordner</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Folder of city model tiles</source>
      <translation>Ordner mit Stadtmodell-Kacheln</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Folder with city model tiles (or one file)</source>
      <translation>Ordner mit Stadtmodell-Kacheln (oder eine Datei)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Footprints</source>
      <translation>Grundrisse</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Formats</source>
      <translation>Formate</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Frame sunk or raised</source>
      <translation>Rahmen abgesackt oder hochstehend</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>From the server</source>
      <translation>Vom Server</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Full city</source>
      <translation>Ganze Stadt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Fungi on trunk or roots</source>
      <translation>Pilzbefall an Stamm oder Wurzel</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/geometry.py" />
      <source>GDAL does not know EPSG:{} (PROJ data not found: set PROJ_DATA).</source>
      <translation>GDAL kennt EPSG:{} nicht (PROJ-Daten nicht gefunden: PROJ_DATA setzen).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Garages and other</source>
      <translation>Garagen und Sonstige</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Generate Herne sample city</source>
      <translation>Beispielstadt Herne erzeugen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/progress.py" />
      <source>Generation of the sample city was canceled.</source>
      <translation>Die Erzeugung der Beispielstadt wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>GeoPackage</source>
      <translation>GeoPackage</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/sources.py" />
      <source>Geobasis NRW (dl-de/zero-2.0)</source>
      <translation>Geobasis NRW (dl-de/zero-2.0)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Geometry</source>
      <translation>Geometrie</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>German</source>
      <translation>Deutsch</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Give a folder, files or a tile URL template to import.</source>
      <translation>Geben Sie einen Ordner, Dateien oder eine Kachel-URL-Vorlage zum Import an.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Graffiti or vandalism</source>
      <translation>Graffiti oder Vandalismus</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Grate damaged or loose</source>
      <translation>Rost beschädigt oder lose</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Grate missing</source>
      <translation>Rost fehlt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Grey out after</source>
      <translation>Ausgrauen nach</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Group layer (cannot be requested itself)</source>
      <translation>Gruppenlayer (kann nicht selbst abgerufen werden)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Hazard layers</source>
      <translation>Gefahrenlayer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Hazard layers (depth classes, depth rasters, hazard maps)</source>
      <translation>Gefahrenlayer (Tiefenklassen, Tiefenraster, Gefahrenkarten)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Heavy rain</source>
      <translation>Starkregen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Heavy rain exposure of assets</source>
      <translation>Starkregen-Betroffenheit von Objekten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Heavy rain exposure…</source>
      <translation>Starkregen-Betroffenheit…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Heavy rain hazard (depth raster in cm or depth-class polygons)</source>
      <translation>Starkregengefahr (Wassertiefen-Raster in cm oder Tiefenklassen-Polygone)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/as_of.py" />
      <source>Heavy-rain scenario {scenario}: {when}</source>
      <translation>Starkregen-Szenario {scenario}: {when}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/provider.py" />
      <source>Herne Digital Twin</source>
      <translation>Digitaler Zwilling Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>History on the time slider</source>
      <translation>Verlauf auf dem Zeitschieberegler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>IN needs a field on its left</source>
      <translation>IN braucht links ein Feld</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>IS is allowed only as "field IS NULL"</source>
      <translation>IS ist nur als „Feld IS NULL“ erlaubt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Images (*.png *.jpg *.jpeg)</source>
      <translation>Bilder (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Import</source>
      <translation>Importieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Import NRW LoD2 CityGML or CityJSON tiles into a GeoPackage and show them in 2D and 3D</source>
      <translation>NRW-LoD2-Kacheln (CityGML oder CityJSON) in ein GeoPackage importieren und in 2D und 3D zeigen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>Import canceled: tile {tile} was rolled back, the tiles before it are complete.</source>
      <translation>Import abgebrochen: Kachel {tile} wurde zurückgerollt, die Kacheln davor sind vollständig.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Import city model (CityGML / CityJSON)</source>
      <translation>Stadtmodell importieren (CityGML / CityJSON)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Import city model (LoD2)</source>
      <translation>Stadtmodell importieren (LoD2)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Importing {count} input(s)…</source>
      <translation>{count} Eingabe(n) werden importiert…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Imports 3D buildings from CityGML 1.0/2.0 (the NRW LoD2 tiles LoD2_32_E_N_1_NW.gml) and CityJSON 1.1/2.0 files into one GeoPackage: 'buildings' (true 3D LoD2 solids as MultiPolygonZ, one per building, with function, roof type, heights and all generic attributes), 'building_footprints' (2D), 'building_surfaces' (each roof, wall and ground surface with area, tilt and azimuth, for solar planning) and, with 'Keep building parts', 'building_parts'. Coordinates EPSG:25832, heights DHHN2016.

Input: a folder of tiles and/or a list of files (paths separated by ';' or new lines; from Python also a list). Only tiles whose NRW tile name touches the extent are imported where an extent is given; with a tile URL template (http or https, {E} and {N} for the tile corner in km) the tiles of the extent are downloaded through QGIS's network settings.

An existing GeoPackage is updated: a tile already imported with the same content is skipped, a changed tile replaces its buildings (by building id). Each tile is written completely or not at all; a canceled import keeps the tiles finished before. Buildings that cannot be imported are listed with their reason in 'import_failures', tiles in 'import_tiles'.</source>
      <translation>Importiert 3D-Gebäude aus CityGML 1.0/2.0 (den NRW-LoD2-Kacheln LoD2_32_E_N_1_NW.gml) und CityJSON 1.1/2.0 in ein GeoPackage: 'buildings' (echte 3D-LoD2-Körper als MultiPolygonZ, eines je Gebäude, mit Funktion, Dachform, Höhen und allen generischen Attributen), 'building_footprints' (2D), 'building_surfaces' (jede Dach-, Wand- und Bodenfläche mit Fläche, Neigung und Ausrichtung, für die Solarplanung) und, mit 'Gebäudeteile als eigenen Layer behalten', 'building_parts'. Koordinaten EPSG:25832, Höhen DHHN2016.

Eingabe: ein Ordner mit Kacheln und/oder eine Liste von Dateien (Pfade getrennt durch ';' oder Zeilenumbrüche; aus Python auch eine Liste). Ist ein Ausschnitt angegeben, werden nur Kacheln importiert, deren NRW-Kachelname den Ausschnitt berührt; mit einer Kachel-URL-Vorlage (http oder https, {E} und {N} für die Kachelecke in km) werden die Kacheln des Ausschnitts über die Netzwerkeinstellungen von QGIS geladen.

Ein vorhandenes GeoPackage wird aktualisiert: eine Kachel, die mit gleichem Inhalt schon importiert ist, wird übersprungen, eine geänderte Kachel ersetzt ihre Gebäude (nach Gebäude-ID). Jede Kachel wird ganz oder gar nicht geschrieben; ein abgebrochener Import behält die zuvor fertigen Kacheln. Gebäude, die nicht importiert werden können, stehen mit ihrem Grund in 'import_failures', die Kacheln in 'import_tiles'.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Inspected at (UTC)</source>
      <translation>Kontrolliert am (UTC)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Inspection ID</source>
      <translation>Kontroll-ID</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Inspections</source>
      <translation>Kontrollen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Inspections are only joined to street lights (a layer with light_uuid); they are left out here.</source>
      <translation>Prüfungen werden nur an Straßenleuchten angehängt (ein Layer mit light_uuid); hier bleiben sie unberücksichtigt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Inspections of {count} street lights joined.</source>
      <translation>Prüfungen von {count} Straßenleuchten angehängt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Inspections of {layer}</source>
      <translation>Kontrollen von {layer}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Inspector</source>
      <translation>Kontrolleur/in</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Keep building parts as a layer of their own</source>
      <translation>Gebäudeteile als eigenen Layer behalten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Keep building parts as features of their own</source>
      <translation>Gebäudeteile als eigene Objekte behalten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Keep my edit</source>
      <translation>Meine Bearbeitung behalten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Keep the server's feature</source>
      <translation>Objekt des Servers behalten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Key columns (layer=column; ...)</source>
      <translation>Schlüsselspalten (Layer=Spalte; ...)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Key columns are written as layer=column, separated by ';': {entry} is not.</source>
      <translation>Schlüsselspalten werden als Layer=Spalte geschrieben, getrennt durch ';': {entry} ist es nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Lamp burns by day</source>
      <translation>Leuchte brennt am Tag</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Lamp cover damaged</source>
      <translation>Leuchtenabdeckung beschädigt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Lamp defective</source>
      <translation>Leuchte defekt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Language of the map</source>
      <translation>Sprache der Karte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Last 24 hours</source>
      <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Last 3 days</source>
      <translation>Letzte 3 Tage</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Last 4 weeks</source>
      <translation>Letzte 4 Wochen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Last 6 hours</source>
      <translation>Letzte 6 Stunden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Last week</source>
      <translation>Letzte Woche</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Latest readings</source>
      <translation>Aktuelle Messwerte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Layer</source>
      <translation>Layer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Layer {layer} has no stable key column, so its inspections could not be linked to it.</source>
      <translation>Layer {layer} hat keine stabile Schlüsselspalte; seine Kontrollen könnten nicht mit ihm verknüpft werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/journal.py" />
      <source>Layer {table} already has a change journal.</source>
      <translation>Der Layer {table} hat bereits ein Änderungsprotokoll.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/journal.py" />
      <source>Layer {table} has no change journal.</source>
      <translation>Der Layer {table} hat kein Änderungsprotokoll.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/journal.py" />
      <source>Layer {table} has no column {column}: its changes could not be matched with the server.</source>
      <translation>Der Layer {table} hat keine Spalte {column}: seine Änderungen ließen sich nicht den Objekten auf dem Server zuordnen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/conflicts.py" />
      <source>Layer {table} has no open conflict for feature {key}.</source>
      <translation>Layer {table} hat keinen offenen Konflikt für Objekt {key}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package_store.py" />
      <source>Layer {table} of the package has lost the columns {fields}: it cannot be synced.</source>
      <translation>Layer {table} des Pakets fehlen die Spalten {fields}: er kann nicht synchronisiert werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>Layer {table} was not synced: {reason}</source>
      <translation>Layer {table} wurde nicht synchronisiert: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Layers</source>
      <translation>Layer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Layers (top first; empty: the visible layers)</source>
      <translation>Layer (oberster zuerst; leer: die sichtbaren Layer)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>Layers of a {type} cannot be added to the map.</source>
      <translation>Layer eines Dienstes vom Typ {type} können nicht zur Karte hinzugefügt werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Layers on the map (top first; empty: the visible layers)</source>
      <translation>Layer auf der Karte (oberster zuerst; leer: die sichtbaren Layer)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Layout template</source>
      <translation>Layoutvorlage</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>Legend</source>
      <translation>Legende</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Light point number missing</source>
      <translation>Lichtpunktnummer fehlt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>Line assets need a buffer (in metres) to be exposed as areas.</source>
      <translation>Linienobjekte brauchen einen Puffer (in Metern), um als Flächen ausgewertet zu werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_layer.py" />
      <source>Live sensor readings</source>
      <translation>Aktuelle Sensorwerte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Live sensor readings ({source})</source>
      <translation>Live-Sensormesswerte ({source})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Live sensors</source>
      <translation>Live-Sensoren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/tiles.py" />
      <source>Loading tiles from a URL template needs an extent.</source>
      <translation>Das Laden von Kacheln über eine URL-Vorlage braucht einen Ausschnitt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Local FIWARE Orion (sensor fixture server)</source>
      <translation>Lokaler FIWARE Orion (Sensor-Testserver)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Local MQTT broker (Mosquitto)</source>
      <translation>Lokaler MQTT-Broker (Mosquitto)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Local OGC API Features (QGIS Server)</source>
      <translation>Lokale OGC API Features (QGIS Server)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Local OGC API Features (pygeoapi)</source>
      <translation>Lokale OGC API Features (pygeoapi)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Local SensorThings API (sensor fixture server)</source>
      <translation>Lokale SensorThings API (Sensor-Testserver)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Local WFS (QGIS Server)</source>
      <translation>Lokaler WFS (QGIS Server)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Local WMS (QGIS Server)</source>
      <translation>Lokaler WMS (QGIS Server)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Local backend</source>
      <translation>Lokales Backend</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>MQTT broker</source>
      <translation>MQTT-Broker</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>MQTT topic</source>
      <translation>MQTT-Topic</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>Made on {date}</source>
      <translation>Erstellt am {date}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Makes an atlas on one of the twin's layout templates: one page per feature of the coverage layer (a district, a building the heavy-rain exposure found affected, any feature), sorted by the sort expression and limited by the filter expression, e.g. "depth_class" IN ('50-100', '&gt;100'). The map on each page follows its feature; the title names it (page name expression, else the layer's display expression). Writes one PDF, or one PDF per page beside the output file. With a sensor stations layer and a readings provider registered (core/export/chart.py), each page shows a chart of the nearest sensor.</source>
      <translation>Erstellt einen Atlas auf einer der Layoutvorlagen des Zwillings: eine Seite je Objekt des Abdeckungslayers (ein Stadtbezirk, ein Gebäude, das die Starkregen-Betroffenheit als betroffen ermittelt hat, jedes beliebige Objekt), sortiert nach dem Sortierausdruck und eingeschränkt durch den Filterausdruck, z. B. "depth_class" IN ('50-100', '&gt;100'). Die Karte jeder Seite folgt ihrem Objekt; der Titel nennt es (Ausdruck für den Seitennamen, sonst der Anzeigeausdruck des Layers). Schreibt eine PDF oder eine PDF je Seite neben die Ausgabedatei. Mit einem Layer der Sensorstationen und einer registrierten Quelle für Messwerte (core/export/chart.py) zeigt jede Seite ein Diagramm des nächstgelegenen Sensors.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Making the package {name} …</source>
      <translation>Das Paket {name} wird erstellt …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Map</source>
      <translation>Karte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Map theme</source>
      <translation>Kartenthema</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Map theme: {name}</source>
      <translation>Kartenthema: {name}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Maps and atlases</source>
      <translation>Karten und Atlanten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/assets_3d.py" />
      <source>Mast</source>
      <translation>Mast</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Mast damaged</source>
      <translation>Mast beschädigt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Mast door open or missing</source>
      <translation>Klappe offen oder fehlt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Mast leaning</source>
      <translation>Mast schief</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/assets_3d.py" />
      <source>Mast {height:g} m</source>
      <translation>Mast {height:g} m</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Merged with server edits</source>
      <translation>Mit Änderungen auf dem Server zusammengeführt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Mine</source>
      <translation>Meine</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Most features per layer</source>
      <translation>Höchstens so viele Objekte je Layer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>My change</source>
      <translation>Meine Änderung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>My services</source>
      <translation>Eigene Dienste</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <source>NO2</source>
      <translation>NO2</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>Name</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Network error: {error}</source>
      <translation>Netzwerkfehler: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ngsi.py" />
      <source>No QuantumLeap address is set for this NGSI source, so it has no history.</source>
      <translation>Für diese NGSI-Quelle ist keine QuantumLeap-Adresse eingetragen, daher gibt es keinen Verlauf.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>No answer from {host} within {seconds} s.</source>
      <translation>Keine Antwort von {host} innerhalb von {seconds} s.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>No area polygon found in {layer} (check the choice or the selection).</source>
      <translation>Kein Gebietspolygon in {layer} gefunden (prüfen Sie die Wahl oder die Auswahl).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>No city model tiles to import.</source>
      <translation>Keine Stadtmodell-Kacheln zu importieren.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/merge.py" />
      <source>No conflict to decide for: {fields}.</source>
      <translation>Kein Konflikt zu entscheiden für: {fields}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>No coverage area given: the extent of the depth-class polygons ({extent}) counts as the area the hazard data covers; assets outside it are "no data".</source>
      <translation>Keine Abdeckungsfläche angegeben: Die Ausdehnung der Tiefenklassen-Polygone ({extent}) gilt als von den Gefahrendaten abgedeckt; Objekte außerhalb sind "no data" (keine Daten).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>No feature of {name} passes the filter {expression}: the atlas would have no pages.</source>
      <translation>Kein Objekt von {name} erfüllt den Filter {expression}: der Atlas hätte keine Seiten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>No free file name for the photo in {folder}.</source>
      <translation>Kein freier Dateiname für das Foto in {folder}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>No hazard data</source>
      <translation>Keine Gefahrendaten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>No hazard data at the sensor</source>
      <translation>Keine Gefahrendaten am Sensor</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>No open conflicts.</source>
      <translation>Keine offenen Konflikte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>No place to upload the photos to was given.</source>
      <translation>Es wurde kein Ziel für das Hochladen der Fotos angegeben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>No polygon drawn yet.</source>
      <translation>Noch kein Polygon gezeichnet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>No provider of sensor readings is registered: the atlas has no charts.</source>
      <translation>Es ist keine Quelle für Sensormesswerte registriert: der Atlas hat keine Diagramme.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>No readings yet.</source>
      <translation>Noch keine Messwerte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_style.py" />
      <source>No recent reading</source>
      <translation>Kein aktueller Messwert</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>No tile could be imported: {reasons}</source>
      <translation>Keine Kachel konnte importiert werden: {reasons}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/alerts.py" />
      <source>Not acknowledged yet</source>
      <translation>Noch nicht bestätigt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Not connected</source>
      <translation>Nicht verbunden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Not found (HTTP 404): check the path of the URL.</source>
      <translation>Nicht gefunden (HTTP 404): Prüfen Sie den Pfad der URL.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Note: {reason}</source>
      <translation>Hinweis: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Notes</source>
      <translation>Bemerkungen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>OGC API Features</source>
      <translation>OGC API Features</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Oak processionary moth</source>
      <translation>Eichenprozessionsspinner</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>One page per feature of</source>
      <translation>Eine Seite je Objekt von</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Only some of the features?</source>
      <translation>Nur einige der Objekte?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Only tiles that touch the current map extent</source>
      <translation>Nur Kacheln, die den aktuellen Kartenausschnitt berühren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Only tiles touching this extent</source>
      <translation>Nur Kacheln, die diesen Ausschnitt berühren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Only your own services can be changed; {id} is not one of them.</source>
      <translation>Nur eigene Dienste können geändert werden; {id} gehört nicht dazu.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Open conflicts</source>
      <translation>Offene Konflikte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Open in the browser</source>
      <translation>Im Browser öffnen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Open the package's project when it is ready</source>
      <translation>Das Projekt des Pakets öffnen, wenn es fertig ist</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Operation</source>
      <translation>Vorgang</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Optional: an expression that picks the features to take (e.g. "lamp_type" = 'LED'). Empty: every feature in the area.</source>
      <translation>Optional: ein Ausdruck, der die mitzunehmenden Objekte auswählt (z. B. "lamp_type" = 'LED'). Leer: jedes Objekt im Gebiet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Other (see notes)</source>
      <translation>Sonstiges (siehe Bemerkungen)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Other lamp or unknown age</source>
      <translation>Andere Leuchte oder Alter unbekannt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/assets_3d.py" />
      <source>Other lamps</source>
      <translation>Sonstige Leuchtmittel</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/assets_3d.py" />
      <source>Other mast heights</source>
      <translation>Sonstige Masthöhen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/assets_3d.py" />
      <source>Other sensors</source>
      <translation>Sonstige Sensoren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Outcome</source>
      <translation>Ergebnis</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Output PDF (one per page: named after it)</source>
      <translation>Ausgabe-PDF (eine je Seite: danach benannt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Output file (other formats beside it)</source>
      <translation>Ausgabedatei (weitere Formate daneben)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Output folder</source>
      <translation>Ausgabeordner</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/summary.py" />
      <source>Outside the districts</source>
      <translation>Außerhalb der Stadtbezirke</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>Over 100 cm</source>
      <translation>Über 100 cm</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Overgrown by plants</source>
      <translation>Bewuchs</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Own template file (.qpt)</source>
      <translation>Eigene Vorlagendatei (.qpt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>PDF files (*.pdf)</source>
      <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <source>PM10</source>
      <translation>PM10</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <source>PM2.5</source>
      <translation>PM2,5</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>PNG image (*.png)</source>
      <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Package GeoPackage</source>
      <translation>GeoPackage des Pakets</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Package folder</source>
      <translation>Paketordner</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Package name</source>
      <translation>Paketname</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Package project</source>
      <translation>Projekt des Pakets</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Packaging cancelled: nothing was left behind.</source>
      <translation>Paketerstellung abgebrochen: Es ist nichts zurückgeblieben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Page name</source>
      <translation>Seitenname</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Pages</source>
      <translation>Seiten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Parking</source>
      <translation>Parken</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <source>Parking space occupied</source>
      <translation>Parkplatz belegt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Photo</source>
      <translation>Foto</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Photos (*.jpg *.jpeg *.png *.heic *.tif)</source>
      <translation>Fotos (*.jpg *.jpeg *.png *.heic *.tif)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>Photos were not uploaded: {reason}</source>
      <translation>Fotos wurden nicht hochgeladen: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>Photos: {uploaded} uploaded, {failed} not uploaded (kept for the next sync).</source>
      <translation>Fotos: {uploaded} hochgeladen, {failed} nicht hochgeladen (bleiben für die nächste Synchronisierung).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Please enter who inspected the asset.</source>
      <translation>Bitte eintragen, wer die Anlage kontrolliert hat.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Please rate the condition: 1 (very good) to 5 (unusable).</source>
      <translation>Bitte den Zustand bewerten: 1 (sehr gut) bis 5 (unbrauchbar).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Please say whether a follow-up is needed.</source>
      <translation>Bitte angeben, ob Nacharbeit nötig ist.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_session.py" />
      <source>Polled {count} stations; next poll in {seconds} s.</source>
      <translation>{count} Stationen abgefragt; nächste Abfrage in {seconds} s.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Polygon drawn: {area} ha.</source>
      <translation>Polygon gezeichnet: {area} ha.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>Polygon {polygon} has a ring without coordinates.</source>
      <translation>Polygon {polygon} hat einen Ring ohne Koordinaten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>Polygon {polygon} has an empty ring.</source>
      <translation>Polygon {polygon} hat einen leeren Ring.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geometry.py" />
      <source>Polygon {polygon} has coordinates that are not numbers (NaN or infinite).</source>
      <translation>Polygon {polygon} hat Koordinaten, die keine Zahlen sind (NaN oder unendlich).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>Polygon {polygon} has coordinates that are not numbers.</source>
      <translation>Polygon {polygon} hat Koordinaten, die keine Zahlen sind.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geometry.py" />
      <source>Polygon {polygon} has fewer than 3 distinct points.</source>
      <translation>Polygon {polygon} hat weniger als 3 verschiedene Punkte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geometry.py" />
      <source>Polygon {polygon} has no area (its points lie on one line).</source>
      <translation>Polygon {polygon} hat keine Fläche (seine Punkte liegen auf einer Linie).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>Polygon {polygon} has no exterior ring.</source>
      <translation>Polygon {polygon} hat keinen äußeren Ring.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>PostGIS</source>
      <translation>PostGIS</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <source>PostGIS layers need the Python module psycopg2 (Debian: python3-psycopg2).</source>
      <translation>PostGIS-Layer brauchen das Python-Modul psycopg2 (Debian: python3-psycopg2).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Pre-check</source>
      <translation>Vorprüfung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Public</source>
      <translation>Öffentlich</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Puts the project's visible layers, a map theme or chosen layers on one of the twin's layout templates (A4 portrait, A4 landscape, A3 landscape, or your own .qpt with an item 'map') and exports it. The map shows a legend of its layers, scale bar, north arrow, an overview of Herne, the data's 'as of' times (sensor readings, heavy-rain scenario, city model), sources and licences, author and date; German by default. The extent is the one given, else the district named, else that of the layers. PDF is vector and georeferenced; PNG has the chosen dpi and a world file. A 3D view image (rendered offscreen, e.g. by scripts/view3d.py) can be shown as an inset. Files appear only when complete.</source>
      <translation>Setzt die sichtbaren Layer des Projekts, ein Kartenthema oder gewählte Layer auf eine der Layoutvorlagen des Zwillings (A4 Hochformat, A4 Querformat, A3 Querformat oder eine eigene .qpt mit einem Element 'map') und exportiert sie. Die Karte zeigt eine Legende ihrer Layer, Maßstabsleiste, Nordpfeil, eine Übersicht über Herne, den Datenstand (Sensormesswerte, Starkregen-Szenario, Stadtmodell), Quellen und Lizenzen, Bearbeitung und Datum; standardmäßig auf Deutsch. Der Ausschnitt ist der angegebene, sonst der des genannten Stadtbezirks, sonst der der Layer. Die PDF ist vektoriell und georeferenziert; die PNG hat die gewählte Auflösung und ein World-File. Ein 3D-Ansichtsbild (ohne Fenster gerendert, z. B. mit scripts/view3d.py) kann als Einblendung gezeigt werden. Dateien erscheinen erst, wenn sie vollständig sind.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>QGIS could not load the layout template {path}.</source>
      <translation>QGIS konnte die Layoutvorlage {path} nicht laden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>QGIS layout templates (*.qpt)</source>
      <translation>QGIS-Layoutvorlagen (*.qpt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>Rare heavy rain</source>
      <translation>Seltener Starkregen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>Reading layer {table} from the server…</source>
      <translation>Lese Layer {table} vom Server…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Reading the Datastreams was cancelled.</source>
      <translation>Das Lesen der Datastreams wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Reading the Datastreams…</source>
      <translation>Lese die Datastreams…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Reading the SensorThings Datastreams</source>
      <translation>Lese die SensorThings-Datastreams</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Reading the latest readings of {name} ({url})</source>
      <translation>Lese die aktuellen Messwerte von {name} ({url})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_session.py" />
      <source>Reading the latest sensor readings</source>
      <translation>Lese die neuesten Sensormesswerte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Reading the sensor history</source>
      <translation>Lese den Verlauf der Sensoren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/fetch.py" />
      <location filename="../herne_twin_plugin/core/sensors/ngsi.py" />
      <location filename="../herne_twin_plugin/core/sensors/sensorthings.py" />
      <source>Reading the sensor source was cancelled.</source>
      <translation>Das Lesen der Sensorquelle wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Reading the sensor stations</source>
      <translation>Lese die Sensorstationen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_session.py" />
      <source>Reading {url}…</source>
      <translation>Lese {url}…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Readings</source>
      <translation>Messwerte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Reads the latest reading of every sensor stream from a SensorThings API or FIWARE NGSI v2 service of the service catalog and writes one point per station (EPSG:25832). Per observed property p the layer has p (the value, empty unless the reading passed the quality checks), p_unit, p_time, p_age_s and p_quality (valid, out_of_range, suspect, unchecked). Source: the name of the catalog entry as the service catalog shows it (e.g. a service you added under My services), or its id. Extent: only stations inside it.</source>
      <translation>Liest den aktuellen Messwert jedes Sensordatenstroms aus einem SensorThings-API- oder FIWARE-NGSI-v2-Dienst des Dienstkatalogs und schreibt einen Punkt je Station (EPSG:25832). Je Messgröße p hat der Layer p (den Wert, leer, wenn der Messwert die Qualitätsprüfung nicht bestanden hat), p_unit, p_time, p_age_s und p_quality (valid, out_of_range, suspect, unchecked). Quelle: der Name des Katalogeintrags, wie der Dienstkatalog ihn zeigt (z. B. ein unter Meine Dienste hinzugefügter Dienst), oder seine ID. Ausschnitt: nur Stationen darin.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Receipts (CSV)</source>
      <translation>Quittungen (CSV)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Receipts of the last sync</source>
      <translation>Quittungen der letzten Synchronisation</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Received {received}, accepted {accepted}, rejected {rejected}; {stations} stations on the map.</source>
      <translation>Empfangen {received}, angenommen {accepted}, abgelehnt {rejected}; {stations} Stationen auf der Karte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Reconnecting</source>
      <translation>Verbindung wird wiederhergestellt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Rejected by the server</source>
      <translation>Vom Server abgelehnt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <source>Relative humidity</source>
      <translation>Relative Luftfeuchte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Reload the catalog</source>
      <translation>Katalog neu laden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Remove</source>
      <translation>Entfernen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Remove the service</source>
      <translation>Dienst entfernen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Remove the service {service} from the catalog?</source>
      <translation>Den Dienst {service} aus dem Katalog entfernen?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Removed the service {service}.</source>
      <translation>Dienst {service} entfernt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Rendering the basemap {layer}...</source>
      <translation>Die Hintergrundkarte {layer} wird gerendert …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Report</source>
      <translation>Bericht</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Residential</source>
      <translation>Wohnen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Resolution</source>
      <translation>Auflösung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Resolution (dpi)</source>
      <translation>Auflösung (dpi)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Resolve conflicts ({count}) …</source>
      <translation>Konflikte lösen ({count}) …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Resolve conflicts …</source>
      <translation>Konflikte lösen …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Resolve sync conflicts</source>
      <translation>Sync-Konflikte lösen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/buildings_3d.py" />
      <source>Roofs</source>
      <translation>Dächer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_layers.py" />
      <source>Roofs and walls (3D)</source>
      <translation>Dächer und Wände (3D)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Roots grown in</source>
      <translation>Wurzeleinwuchs</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Roots lifting the pavement</source>
      <translation>Wurzeln heben den Belag an</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>SYNTHETIC sample data: no real assets</source>
      <translation>SYNTHETISCHE Beispieldaten: keine echten Anlagen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Sample (centre of Herne-Mitte)</source>
      <translation>Beispiel (Zentrum Herne-Mitte)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Sample city GeoPackage</source>
      <translation>GeoPackage der Beispielstadt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Sample data</source>
      <translation>Beispieldaten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Save as</source>
      <translation>Speichern unter</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Save or discard the edits in {layers} first: edits not saved are not in the package yet.</source>
      <translation>Erst die Bearbeitungen in {layers} speichern oder verwerfen: nicht gespeicherte Bearbeitungen sind noch nicht im Paket.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>Save the city model as</source>
      <translation>Stadtmodell speichern unter</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/online_edit_guard.py" />
      <source>Saving {layer}: waiting for the server's current values to check for changes made since you started…</source>
      <translation>{layer} wird gespeichert: warte auf die aktuellen Werte des Servers, um Änderungen seit Ihrem Beginn zu prüfen …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Scale</source>
      <translation>Umfang</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Scenario (for layers with several: {names})</source>
      <translation>Szenario (für Layer mit mehreren: {names})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Seed</source>
      <translation>Startwert</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>Sending {count} changes of layer {table}…</source>
      <translation>Sende {count} Änderungen von Layer {table}…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/alerts.py" />
      <source>Sensor alert</source>
      <translation>Sensoralarm</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/history_layer.py" />
      <source>Sensor history</source>
      <translation>Sensorverlauf</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Sensor history {start} – {end} UTC</source>
      <translation>Sensorverlauf {start} – {end} UTC</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Sensor readings</source>
      <translation>Sensormesswerte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Sensor readings: catalog entry name or id (SensorThings or NGSI)</source>
      <translation>Sensormesswerte: Name oder ID des Katalogeintrags (SensorThings oder NGSI)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/as_of.py" />
      <source>Sensor readings: {when}</source>
      <translation>Sensormesswerte: {when}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Sensor snapshot (latest readings)</source>
      <translation>Sensor-Momentaufnahme (aktuelle Messwerte)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Sensor source (catalog entry name or id)</source>
      <translation>Sensorquelle (Name oder ID des Katalogeintrags)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Sensor stations for a chart per page</source>
      <translation>Sensorstationen für ein Diagramm je Seite</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Sensor time series</source>
      <translation>Sensor-Zeitreihe</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>SensorThings API</source>
      <translation>SensorThings API</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Sensors</source>
      <translation>Sensoren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/sources.py" />
      <source>Sensors: {operators}</source>
      <translation>Sensoren: {operators}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Sensors: {source}</source>
      <translation>Sensoren: {source}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Server</source>
      <translation>Server</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Server inspection layer</source>
      <translation>Kontroll-Layer auf dem Server</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Server message</source>
      <translation>Meldung des Servers</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Service</source>
      <translation>Dienst</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Service Catalog</source>
      <translation>Dienstkatalog</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Show</source>
      <translation>Anzeigen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Show the catalog of the city's services</source>
      <translation>Katalog der städtischen Dienste anzeigen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Show what a sync would do, without changing anything</source>
      <translation>Zeigen, was eine Synchronisation täte, ohne etwas zu ändern</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Silted up</source>
      <translation>Verschlammt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Smell</source>
      <translation>Geruch</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Soil moisture</source>
      <translation>Bodenfeuchte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <source>Soil temperature</source>
      <translation>Bodentemperatur</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Sort by</source>
      <translation>Sortieren nach</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>Source</source>
      <translation>Quelle</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>Sources and licences</source>
      <translation>Quellen und Lizenzen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Stability doubtful</source>
      <translation>Standsicherheit fraglich</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/sources.py" />
      <source>Stadt Herne, Digitaler Zwilling</source>
      <translation>Stadt Herne, Digitaler Zwilling</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>Starkregen depth classes</source>
      <translation>Starkregen-Wassertiefenklassen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>State of NRW</source>
      <translation>Land NRW</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Station</source>
      <translation>Station</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>Stations</source>
      <translation>Stationen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Status</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>Stopped listening to {host}.</source>
      <translation>Empfang von {host} beendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_session.py" />
      <source>Stopped polling.</source>
      <translation>Abfrage beendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Street lights</source>
      <translation>Straßenleuchten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Street-light inspections (light_uuid, inspected_at, condition, open_defects)</source>
      <translation>Prüfungen der Straßenleuchten (light_uuid, inspected_at, condition, open_defects)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Subtitle</source>
      <translation>Untertitel</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Sync id</source>
      <translation>Synchronisierungs-ID</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>Sync {sync_id}: {applied} applied, {merged} merged, {conflicts} conflicts, {rejected} rejected, {errors} errors, {already} already applied, {pulled} taken from the server.</source>
      <translation>Synchronisierung {sync_id}: {applied} übernommen, {merged} zusammengeführt, {conflicts} Konflikte, {rejected} abgelehnt, {errors} Fehler, {already} schon übernommen, {pulled} vom Server übernommen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Synchronise</source>
      <translation>Synchronisieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Synchronise field package</source>
      <translation>Feldpaket synchronisieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Synchronise field package…</source>
      <translation>Feldpaket synchronisieren…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Synchronising {path}</source>
      <translation>Synchronisiere {path}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>Synchronising {path} …</source>
      <translation>{path} wird synchronisiert …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Take an area offline for field inspections: assets, inspection form, basemap</source>
      <translation>Ein Gebiet für Feldbegehungen offline mitnehmen: Objekte, Kontrollformular, Hintergrundkarte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>Taken from the server</source>
      <translation>Vom Server übernommen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>Takes the chosen asset layers (WFS, OGC API Features or PostGIS) of an area offline for field inspections: one GeoPackage with the assets, an inspection layer linked to them, the change journal, and a QGIS project that opens without a network (also in QField). Optionally an offline basemap rendered from a map service, the latest sensor readings and the heavy-rain hazard layers. Area: a polygon layer (with District: the feature of that name), or else the extent. A pre-check runs first and lists every reason a layer would not sync safely; the package is only made when none blocks. Key columns: 'layer=column; ...' where a layer's stable key is not found by itself. Inspections: the server's inspection layer (empty: the 'inspections' layer of the first layer's service). The package folder is Output folder/Name; an existing one is never overwritten.</source>
      <translation>Nimmt die gewählten Bestandslayer (WFS, OGC API Features oder PostGIS) eines Gebiets für Feldbegehungen offline mit: ein GeoPackage mit den Objekten, einem mit ihnen verknüpften Kontroll-Layer und dem Änderungsjournal sowie ein QGIS-Projekt, das sich ohne Netzwerk öffnet (auch in QField). Optional eine aus einem Kartendienst gerenderte Offline-Hintergrundkarte, die neuesten Sensormesswerte und die Starkregen-Gefahrenlayer. Gebiet: ein Polygonlayer (mit Stadtbezirk: das Objekt dieses Namens), sonst die Ausdehnung. Zuerst läuft eine Vorprüfung, die jeden Grund nennt, aus dem ein Layer nicht sicher synchronisiert würde; das Paket wird nur erstellt, wenn keiner davon blockiert. Schlüsselspalten: 'Layer=Spalte; ...', wo der stabile Schlüssel eines Layers nicht von selbst gefunden wird. Kontrollen: der Kontroll-Layer des Servers (leer: der Layer 'inspections' des Dienstes des ersten Layers). Der Paketordner ist Ausgabeordner/Name; ein vorhandener wird nie überschrieben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>Taking the latest sensor readings...</source>
      <translation>Die neuesten Sensormesswerte werden übernommen …</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Temperature</source>
      <translation>Temperatur</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Template</source>
      <translation>Vorlage</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Template file (.qpt)</source>
      <translation>Vorlagendatei (.qpt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Template file (.qpt) below</source>
      <translation>Vorlagendatei (.qpt) unten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Test the connection</source>
      <translation>Verbindung testen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Testing {service}…</source>
      <translation>Teste {service}…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/scene.py" />
      <source>The 3D map needs an extent with an area.</source>
      <translation>Die 3D-Karte braucht einen Ausschnitt mit einer Fläche.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The CityJSON "transform" is broken.</source>
      <translation>Die CityJSON-Angabe "transform" ist fehlerhaft.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The CityJSON file has no CityObjects or no vertices.</source>
      <translation>Die CityJSON-Datei hat keine CityObjects oder keine Stützpunkte (vertices).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The CityJSON file is larger than {limit} MB: convert it to CityJSONSeq (.jsonl) to import it.</source>
      <translation>Die CityJSON-Datei ist größer als {limit} MB: wandeln Sie sie zum Import in CityJSONSeq (.jsonl) um.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The CityJSON {version} file has no "transform".</source>
      <translation>Die CityJSON-{version}-Datei hat kein "transform".</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The FIWARE service may only hold lower-case letters, digits and underscores (at most 50).</source>
      <translation>Der FIWARE-Service darf nur Kleinbuchstaben, Ziffern und Unterstriche enthalten (höchstens 50).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The FIWARE service path must look like /district/sensors: it starts with / and has up to 10 levels of letters, digits and underscores.</source>
      <translation>Der FIWARE-Servicepfad muss wie /bezirk/sensoren aussehen: Er beginnt mit / und hat bis zu 10 Ebenen aus Buchstaben, Ziffern und Unterstrichen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geopackage_writer.py" />
      <source>The GeoPackage already has a layer '{layer}' that is not a city-model layer.</source>
      <translation>Das GeoPackage hat schon einen Layer '{layer}', der kein Stadtmodell-Layer ist.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The GeoPackage {path} cannot be created: {error}</source>
      <translation>Das GeoPackage {path} kann nicht erstellt werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The JSON landing page does not declare OGC API Features conformance (conformance class core), so this is not an OGC API Features service.</source>
      <translation>Die JSON-Landingpage erklärt keine Konformität zu OGC API Features (Konformitätsklasse core); dies ist also kein OGC-API-Features-Dienst.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The MQTT topic is not valid: + must stand alone in a level and # only as the last level.</source>
      <translation>Das MQTT-Topic ist ungültig: + muss allein in einer Ebene stehen und # nur als letzte Ebene.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The OGC API answer of {layer} is not JSON.</source>
      <translation>Die OGC-API-Antwort für {layer} ist kein JSON.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The URL carries a secret in the parameter {names} ({url}). Remove it and choose an authentication configuration (authcfg) instead, so the secret is kept in the QGIS password store.</source>
      <translation>Die URL trägt ein Geheimnis im Parameter {names} ({url}). Entfernen Sie es und wählen Sie stattdessen eine Authentifizierungskonfiguration (authcfg), damit das Geheimnis im Passwortspeicher von QGIS bleibt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The URL contains a user name or password ({url}). Remove it and choose an authentication configuration (authcfg) instead, so the secret is kept in the QGIS password store.</source>
      <translation>Die URL enthält einen Benutzernamen oder ein Passwort ({url}). Entfernen Sie es und wählen Sie stattdessen eine Authentifizierungskonfiguration (authcfg), damit das Geheimnis im Passwortspeicher von QGIS bleibt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The URL contains spaces. Remove them or write them as %20.</source>
      <translation>Die URL enthält Leerzeichen. Entfernen Sie sie oder schreiben Sie sie als %20.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The URL has no host name.</source>
      <translation>Die URL hat keinen Hostnamen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The URL has no scheme. It must start with {schemes}.</source>
      <translation>Der URL fehlt das Schema. Sie muss mit {schemes} beginnen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS answer of {layer} is not XML.</source>
      <translation>Die WFS-Antwort für {layer} ist kein XML.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS answered GetFeature with {element} instead of a FeatureCollection.</source>
      <translation>Der WFS hat GetFeature mit {element} statt einer FeatureCollection beantwortet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS answered the transaction with {element} instead of a TransactionResponse.</source>
      <translation>Der WFS hat die Transaktion mit {element} statt einer TransactionResponse beantwortet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS did not stop paging.</source>
      <translation>Der WFS hat das seitenweise Ausliefern nicht beendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS handed out fewer features of {layer} than it counted and gives them no ids: they cannot be read once each.</source>
      <translation>Der WFS hat weniger Objekte von {layer} geliefert, als er gezählt hat, und gibt ihnen keine IDs: Sie können nicht jeweils genau einmal gelesen werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS no longer offers the layer {layer}.</source>
      <translation>Der WFS bietet den Layer {layer} nicht mehr an.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS refused the request: {message}</source>
      <translation>Der WFS hat die Anfrage abgelehnt: {message}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS refused the {what}: {message}</source>
      <translation>Der WFS hat {what} abgelehnt: {message}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The WFS sent a geometry that cannot be read.</source>
      <translation>Der WFS hat eine Geometrie gesendet, die nicht gelesen werden kann.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/alerts.py" />
      <source>The alert duration must be between 0 s and 30 days.</source>
      <translation>Die Alarmdauer muss zwischen 0 s und 30 Tagen liegen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/alerts.py" />
      <source>The alert value must be a number.</source>
      <translation>Der Alarmwert muss eine Zahl sein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>The algorithm {id} is not available: is the plugin's Processing provider loaded?</source>
      <translation>Der Algorithmus {id} ist nicht verfügbar: ist der Processing-Provider des Plugins geladen?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The answer declares XML entities and was refused for safety.</source>
      <translation>Die Antwort deklariert XML-Entitäten und wurde aus Sicherheitsgründen abgewiesen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The answer is larger than {limit} MB and was not read.</source>
      <translation>Die Antwort ist größer als {limit} MB und wurde nicht gelesen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The answer is not JSON, but {expected} endpoints answer in JSON.</source>
      <translation>Die Antwort ist kein JSON, {expected}-Endpunkte antworten aber in JSON.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The answer is not XML, so it is not {expected} capabilities.</source>
      <translation>Die Antwort ist kein XML und damit kein {expected}-Capabilities-Dokument.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/fetch.py" />
      <source>The answer of {host} is not valid JSON.</source>
      <translation>Die Antwort von {host} ist kein gültiges JSON.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The area layer cannot be read.</source>
      <translation>Der Gebietslayer kann nicht gelesen werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>The area layer {layer} has no field 'name' to find the district {district} by.</source>
      <translation>Der Gebietslayer {layer} hat kein Feld 'name', über das der Stadtbezirk {district} gefunden werden könnte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The area layer {layer} has no polygons: choose districts or a drawn polygon.</source>
      <translation>Der Gebietslayer {layer} hat keine Polygone: Wählen Sie Stadtbezirke oder ein gezeichnetes Polygon.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The asset layer changed while the exposure was computed.</source>
      <translation>Der Objekt-Layer hat sich geändert, während die Betroffenheit berechnet wurde.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The asset layer has no coordinate system; it is taken to be the hazard data's ({crs}).</source>
      <translation>Der Objekt-Layer hat kein Koordinatensystem; es wird das der Gefahrendaten angenommen ({crs}).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The asset layer has no point, line or polygon geometries.</source>
      <translation>Der Objekt-Layer hat keine Punkt-, Linien- oder Flächengeometrien.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The asset layer is empty: there is nothing to expose.</source>
      <translation>Der Objekt-Layer ist leer: Es gibt nichts auszuwerten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The assets</source>
      <translation>Die Objekte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>The atlas could not be exported to {path}: {reason}</source>
      <translation>Der Atlas konnte nicht nach {path} exportiert werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>The atlas export was cancelled; no file was written.</source>
      <translation>Der Atlas-Export wurde abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>The atlas needs a vector layer as its coverage.</source>
      <translation>Der Atlas braucht einen Vektorlayer als Abdeckungslayer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <source>The authentication configuration {authcfg} could not be applied.</source>
      <translation>Die Authentifizierungskonfiguration {authcfg} konnte nicht angewendet werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The authentication configuration {authcfg} could not be applied. Does it exist, and is the master password entered?</source>
      <translation>Die Authentifizierungskonfiguration {authcfg} konnte nicht angewendet werden. Gibt es sie, und ist das Master-Passwort eingegeben?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>The authentication configuration {authcfg} could not be read. Does it exist, and is the master password entered?</source>
      <translation>Die Authentifizierungskonfiguration {authcfg} konnte nicht gelesen werden. Existiert sie, und ist das Master-Passwort eingegeben?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The authentication configuration {authcfg} does not exist.</source>
      <translation>Die Authentifizierungskonfiguration {authcfg} existiert nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>The authentication configuration {authcfg} is of type {method}; the MQTT ingest takes Basic (user name and password) or PKI-Paths (client certificate).</source>
      <translation>Die Authentifizierungskonfiguration {authcfg} hat den Typ {method}; der MQTT-Empfang unterstützt Basic (Benutzername und Passwort) oder PKI-Paths (Client-Zertifikat).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/basemap.py" />
      <source>The basemap file {path} cannot be written.</source>
      <translation>Die Datei der Hintergrundkarte {path} kann nicht geschrieben werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/basemap.py" />
      <source>The basemap layer cannot be read (is the service reachable?).</source>
      <translation>Der Layer der Hintergrundkarte kann nicht gelesen werden (ist der Dienst erreichbar?).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/basemap.py" />
      <source>The basemap resolution must be a positive number of metres per pixel.</source>
      <translation>Die Auflösung der Hintergrundkarte muss eine positive Zahl von Metern je Pixel sein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/basemap.py" />
      <source>The basemap service failed while rendering: {errors}</source>
      <translation>Der Dienst der Hintergrundkarte ist beim Rendern gescheitert: {errors}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/basemap.py" />
      <source>The basemap would be {width} x {height} pixels, more than the limit of {limit} million: choose a coarser resolution (at least {resolution} m per pixel) or a smaller area.</source>
      <translation>Die Hintergrundkarte hätte {width} x {height} Pixel, mehr als die Grenze von {limit} Millionen: Wählen Sie eine gröbere Auflösung (mindestens {resolution} m je Pixel) oder ein kleineres Gebiet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/mqtt_check.py" />
      <source>The broker does not allow this client to connect ({reason}).</source>
      <translation>Der Broker erlaubt diesem Client keine Verbindung ({reason}).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/mqtt_check.py" />
      <source>The broker refused the connection: {reason}</source>
      <translation>Der Broker hat die Verbindung abgelehnt: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/mqtt_check.py" />
      <source>The broker rejected the user name or password ({reason}). Check the authentication configuration.</source>
      <translation>Der Broker hat Benutzername oder Passwort abgelehnt ({reason}). Prüfen Sie die Authentifizierungskonfiguration.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The buffer must be zero or a positive distance in metres.</source>
      <translation>Der Puffer muss null oder eine positive Entfernung in Metern sein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The building could not be read: {error}</source>
      <translation>Das Gebäude konnte nicht gelesen werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/building_features.py" />
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The building has no LoD1 or LoD2 geometry.</source>
      <translation>Das Gebäude hat keine LoD1- oder LoD2-Geometrie.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/building_features.py" />
      <source>The building has no gml:id.</source>
      <translation>Das Gebäude hat keine gml:id.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>The building has polygons in the namespace '{namespace}', not GML 3.1 as CityGML {version} needs.</source>
      <translation>Das Gebäude hat Polygone im Namensraum '{namespace}', nicht in GML 3.1, wie CityGML {version} es verlangt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The building uses a geometry template, which the importer does not read.</source>
      <translation>Das Gebäude nutzt eine Geometrievorlage (template), die der Import nicht liest.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>The building uses the geometry type {type}, which the importer does not read.</source>
      <translation>Das Gebäude nutzt den Geometrietyp {type}, den der Import nicht liest.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The building's parts are nested too deeply.</source>
      <translation>Die Gebäudeteile sind zu tief verschachtelt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The catalog entry is incomplete or has an unknown type: {error}</source>
      <translation>Der Katalogeintrag ist unvollständig oder hat einen unbekannten Typ: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>The catalog entry {name} has no history API (SensorThings API or FIWARE NGSI v2 with QuantumLeap).</source>
      <translation>Der Katalogeintrag {name} hat keine Verlaufs-API (SensorThings API oder FIWARE NGSI v2 mit QuantumLeap).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/snapshot.py" />
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>The catalog entry {name} is not a sensor source (SensorThings API or FIWARE NGSI v2).</source>
      <translation>Der Katalogeintrag {name} ist keine Sensorquelle (SensorThings API oder FIWARE NGSI v2).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/journal.py" />
      <source>The change journal has no entries {numbers}.</source>
      <translation>Das Änderungsprotokoll hat keine Einträge {numbers}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/chart.py" />
      <source>The chart needs a provider of readings (a function of the station id).</source>
      <translation>Das Diagramm braucht eine Quelle für Messwerte (eine Funktion der Stations-ID).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>The city model importer ({id}) is not available.</source>
      <translation>Der Stadtmodell-Import ({id}) ist nicht verfügbar.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_layers.py" />
      <source>The city model {path} does not exist.</source>
      <translation>Das Stadtmodell {path} existiert nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ngsi.py" />
      <location filename="../herne_twin_plugin/core/sensors/sensorthings.py" />
      <source>The collection has more than {pages} pages; reading stopped. Narrow the extent or the time range.</source>
      <translation>Die Sammlung hat mehr als {pages} Seiten; das Lesen wurde abgebrochen. Verkleinern Sie den Ausschnitt oder den Zeitraum.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/srs.py" />
      <source>The coordinate system '{srs}' is not supported: the importer reads ETRS89 / UTM 32N (EPSG:25832), optionally with DHHN2016 heights (EPSG:7837).</source>
      <translation>Das Koordinatensystem '{srs}' wird nicht unterstützt: der Import liest ETRS89 / UTM 32N (EPSG:25832), wahlweise mit DHHN2016-Höhen (EPSG:7837).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The coverage layer holds no polygons.</source>
      <translation>Der Abdeckungs-Layer enthält keine Polygone.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The coverage layer must hold polygons.</source>
      <translation>Der Abdeckungs-Layer muss Polygone enthalten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>The coverage layer {name} has no features: the atlas would have no pages.</source>
      <translation>Der Abdeckungslayer {name} hat keine Objekte: der Atlas hätte keine Seiten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The coverage polygons</source>
      <translation>Die Abdeckungspolygone</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>The current map extent</source>
      <translation>Der aktuelle Kartenausschnitt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <source>The database connection failed: {error}</source>
      <translation>Die Datenbankverbindung ist fehlgeschlagen: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <source>The database could not be reached: {error}</source>
      <translation>Die Datenbank ist nicht erreichbar: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <source>The database did not keep the new feature {key}.</source>
      <translation>Die Datenbank hat das neue Objekt {key} nicht behalten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <source>The database has no table {table} any more.</source>
      <translation>Die Datenbank hat keine Tabelle {table} mehr.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <source>The database refused the change: {error}</source>
      <translation>Die Datenbank hat die Änderung abgelehnt: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>The decision could not be saved: {reason}</source>
      <translation>Die Entscheidung konnte nicht gespeichert werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/view_3d.py" />
      <source>The depth classes could not be joined onto {layer}.</source>
      <translation>Die Tiefenklassen konnten nicht an {layer} angehängt werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/hazard_layers.py" />
      <source>The depth raster {path} cannot be opened.</source>
      <translation>Das Wassertiefen-Raster {path} lässt sich nicht öffnen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The depth-class layer has no coordinate system.</source>
      <translation>Der Tiefenklassen-Layer hat kein Koordinatensystem.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The depth-class layer has no field {field}.</source>
      <translation>Der Tiefenklassen-Layer hat kein Feld {field}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The depth-class layer has no scenario {scenario}; it has {scenarios}.</source>
      <translation>Der Tiefenklassen-Layer hat kein Szenario {scenario}; er hat {scenarios}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The depth-class layer has none of the fields {expected} that hold a depth class; its fields are {fields}.</source>
      <translation>Der Tiefenklassen-Layer hat keines der Felder {expected}, die eine Tiefenklasse enthalten; seine Felder sind {fields}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The depth-class layer holds no polygons with a depth class{scenario}.</source>
      <translation>Der Tiefenklassen-Layer enthält keine Polygone mit einer Tiefenklasse{scenario}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The depth-class layer holds several scenarios ({scenarios}): choose one.</source>
      <translation>Der Tiefenklassen-Layer enthält mehrere Szenarien ({scenarios}): Bitte eines wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/summary.py" />
      <source>The district layer has no field with the districts' names (such as name).</source>
      <translation>Der Bezirks-Layer hat kein Feld mit den Namen der Bezirke (etwa name).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/summary.py" />
      <source>The district layer holds no polygons.</source>
      <translation>Der Bezirks-Layer enthält keine Polygone.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/summary.py" />
      <source>The districts</source>
      <translation>Die Stadtbezirke</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>The dry run failed: {reason}</source>
      <translation>Der Probelauf ist fehlgeschlagen: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>The dry run was cancelled.</source>
      <translation>Der Probelauf wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>The export failed: {reason}</source>
      <translation>Der Export ist fehlgeschlagen: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The export was cancelled.</source>
      <translation>Der Export wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>The export was cancelled; no file was written.</source>
      <translation>Der Export wurde abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>The exposure could not be written: {reason}</source>
      <translation>Die Betroffenheit konnte nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/exposure.py" />
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The exposure run was canceled.</source>
      <translation>Die Auswertung wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/tiles.py" />
      <source>The extent is empty or not a number.</source>
      <translation>Der Ausschnitt ist leer oder keine Zahl.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/tiles.py" />
      <source>The extent touches {count} tiles, more than {limit}: choose a smaller extent (is it in EPSG:25832?).</source>
      <translation>Der Ausschnitt berührt {count} Kacheln, mehr als {limit}: wählen Sie einen kleineren Ausschnitt (ist er in EPSG:25832?).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/http.py" />
      <source>The feature was changed on the server since it was read (HTTP 412).</source>
      <translation>Das Objekt wurde auf dem Server geändert, seit es gelesen wurde (HTTP 412).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The feature {key} is no longer on the server.</source>
      <translation>Das Objekt {key} ist nicht mehr auf dem Server.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The feature {key} was changed on the server since it was read.</source>
      <translation>Das Objekt {key} wurde auf dem Server geändert, seit es gelesen wurde.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>The field package could not be made: {reason}</source>
      <translation>Das Feldpaket konnte nicht erstellt werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <location filename="../herne_twin_plugin/core/field/package_store.py" />
      <source>The field package {path} does not exist.</source>
      <translation>Das Feldpaket {path} gibt es nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file declares XML entities in a DOCTYPE: refused for safety (CityGML needs none).</source>
      <translation>Die Datei deklariert XML-Entitäten in einem DOCTYPE: aus Sicherheitsgründen abgelehnt (CityGML braucht keine).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_files.py" />
      <source>The file declares XML entities, which can expand without limit or fetch other files; it is not imported.</source>
      <translation>Die Datei deklariert XML-Entitäten, die sich unbegrenzt ausdehnen oder andere Dateien nachladen können; sie wird nicht importiert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/srs.py" />
      <source>The file declares no coordinate system (srsName). If you know it is ETRS89 / UTM 32N, run the import with the option to assume EPSG:25832.</source>
      <translation>Die Datei nennt kein Koordinatensystem (srsName). Wenn Sie wissen, dass sie in ETRS89 / UTM 32N ist, starten Sie den Import mit der Option, EPSG:25832 anzunehmen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file ends too early (truncated?) at line {line}.</source>
      <translation>Die Datei endet zu früh (abgeschnitten?) in Zeile {line}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file has more than 1 MB before its root element: refused.</source>
      <translation>Die Datei hat mehr als 1 MB vor ihrem Wurzelelement: abgelehnt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The file is JSON but not CityJSON (no "type": "CityJSON").</source>
      <translation>Die Datei ist JSON, aber kein CityJSON (kein "type": "CityJSON").</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file is empty or has no root element.</source>
      <translation>Die Datei ist leer oder hat kein Wurzelelement.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file is larger than the limit of {limit} MB.</source>
      <translation>Die Datei ist größer als die Grenze von {limit} MB.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file is nested too deeply at line {line}: refused.</source>
      <translation>Die Datei ist in Zeile {line} zu tief verschachtelt: abgelehnt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file is not XML.</source>
      <translation>Die Datei ist kein XML.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>The file is not a CityGML city model (its root element is {element}).</source>
      <translation>Die Datei ist kein CityGML-Stadtmodell (ihr Wurzelelement ist {element}).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/cityjson_reader.py" />
      <source>The file is not valid JSON: {error}</source>
      <translation>Die Datei ist kein gültiges JSON: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/xml_safety.py" />
      <source>The file is not well-formed XML at line {line}.</source>
      <translation>Die Datei ist in Zeile {line} kein wohlgeformtes XML.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>The file mixes namespaces: {element} at line {line} is not CityGML {version}.</source>
      <translation>Die Datei mischt Namensräume: {element} in Zeile {line} ist kein CityGML {version}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>The file {path} is not a QGIS layout template (.qpt).</source>
      <translation>Die Datei {path} ist keine QGIS-Layoutvorlage (.qpt).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>The file {path} is not an image QGIS can read.</source>
      <translation>Die Datei {path} ist kein Bild, das QGIS lesen kann.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>The file's CityModel is in the namespace '{namespace}', which is neither CityGML 1.0 nor 2.0.</source>
      <translation>Das CityModel der Datei steht im Namensraum '{namespace}', der weder CityGML 1.0 noch 2.0 ist.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>The filter "{expression}" cannot be sent to the server: {reason}. Allowed are comparisons of a field with a value (=, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=), IN, IS NULL, AND and OR.</source>
      <translation>Der Filter „{expression}“ kann nicht an den Server gesendet werden: {reason}. Erlaubt sind Vergleiche eines Feldes mit einem Wert (=, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=), IN, IS NULL, AND und OR.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>The filter expression {expression} is not valid: {reason}</source>
      <translation>Der Filterausdruck {expression} ist ungültig: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>The folder of {path} does not exist.</source>
      <translation>Der Ordner von {path} existiert nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>The folder {folder} cannot be created: {error}</source>
      <translation>Der Ordner {folder} kann nicht angelegt werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The folder {folder} does not exist.</source>
      <translation>Den Ordner {folder} gibt es nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <location filename="../herne_twin_plugin/core/field/package_store.py" />
      <source>The folder {path} holds no single field package (.gpkg).</source>
      <translation>Der Ordner {path} enthält nicht genau ein Feldpaket (.gpkg).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The geometry cannot be written as GML.</source>
      <translation>Die Geometrie kann nicht als GML geschrieben werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>The geometry is in the coordinate system '{srs}', not EPSG:25832.</source>
      <translation>Die Geometrie ist im Koordinatensystem '{srs}', nicht in EPSG:25832.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>The geometry is the same on both sides.</source>
      <translation>Die Geometrie ist auf beiden Seiten gleich.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/citygml_reader.py" />
      <source>The geometry refers to '{href}', which is not a polygon of this building (broken xlink:href).</source>
      <translation>Die Geometrie verweist auf '{href}', das kein Polygon dieses Gebäudes ist (defekter xlink:href).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>The gml:id appears twice in the tile.</source>
      <translation>Die gml:id kommt in der Kachel zweimal vor.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/scene.py" />
      <source>The ground height must be a number of metres, not {!r}.</source>
      <translation>Die Geländehöhe muss eine Zahl in Metern sein, nicht {!r}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>The hazard layer cannot be opened.</source>
      <translation>Der Gefahren-Layer lässt sich nicht öffnen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The hazard layer must be a raster or a layer of depth-class polygons.</source>
      <translation>Der Gefahren-Layer muss ein Raster oder ein Layer mit Tiefenklassen-Polygonen sein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The hazard layer {layer} cannot be read.</source>
      <translation>Der Gefahrenlayer {layer} kann nicht gelesen werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The hazard layer {name} is a {provider} layer: exposure needs local depth data (a raster file or depth-class polygons). Use the identify tool on map services.</source>
      <translation>Der Gefahren-Layer {name} ist ein {provider}-Layer: Die Auswertung braucht lokale Tiefendaten (eine Rasterdatei oder Tiefenklassen-Polygone). Für Kartendienste das Abfragewerkzeug verwenden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The hazard raster gives depths in metres; they are converted to cm.</source>
      <translation>Das Gefahren-Raster gibt Tiefen in Metern an; sie werden in cm umgerechnet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The hazard raster has {count} bands; band 1 is read as the water depth.</source>
      <translation>Das Gefahren-Raster hat {count} Kanäle; Kanal 1 wird als Wassertiefe gelesen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/exposure.py" />
      <source>The hazard raster {path} cannot be read: {reason}</source>
      <translation>Das Gefahren-Raster {path} lässt sich nicht lesen: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/exposure.py" />
      <source>The hazard raster {path} has no band {band}.</source>
      <translation>Das Gefahren-Raster {path} hat keinen Kanal {band}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>The hazard raster {path} has no coordinate system.</source>
      <translation>Das Gefahren-Raster {path} hat kein Koordinatensystem.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/exposure.py" />
      <source>The hazard raster {path} is rotated; warp it to a north-up grid first (gdalwarp).</source>
      <translation>Das Gefahren-Raster {path} ist gedreht; bitte zuerst auf ein nordausgerichtetes Gitter umrechnen (gdalwarp).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The host name {host} could not be resolved. Check the address, the network connection and the proxy settings.</source>
      <translation>Der Hostname {host} konnte nicht aufgelöst werden. Prüfen Sie die Adresse, die Netzwerkverbindung und die Proxy-Einstellungen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>The image {path} does not exist.</source>
      <translation>Das Bild {path} existiert nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>The import failed: {reason}</source>
      <translation>Der Import ist fehlgeschlagen: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>The import was canceled before a tile was written.</source>
      <translation>Der Import wurde abgebrochen, bevor eine Kachel geschrieben war.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>The import was canceled; the {count} buildings of the tiles imported before are kept in {path}.</source>
      <translation>Der Import wurde abgebrochen; die {count} Gebäude der zuvor importierten Kacheln bleiben in {path} erhalten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>The inspection layer is not a valid vector layer.</source>
      <translation>Der Kontrolllayer ist kein gültiger Vektorlayer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>The inspection layer lacks the fields {fields}.</source>
      <translation>Dem Kontrolllayer fehlen die Felder {fields}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>The inspections could not be linked to layer {layer}.</source>
      <translation>Die Kontrollen konnten nicht mit Layer {layer} verknüpft werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/street_lights.py" />
      <source>The inspections table lacks the fields {missing}; it needs {fields}.</source>
      <translation>Der Prüftabelle fehlen die Felder {missing}; sie braucht {fields}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/chart.py" />
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>The layer {layer} has no field {field}.</source>
      <translation>Der Layer {layer} hat kein Feld {field}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/__init__.py" />
      <source>The layer {layer} has no server it could be synchronised with.</source>
      <translation>Der Layer {layer} hat keinen Server, mit dem er synchronisiert werden könnte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/hazard_layers.py" />
      <source>The layer {layer} of {path} cannot be opened.</source>
      <translation>Der Layer {layer} aus {path} lässt sich nicht öffnen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The layer {name} failed to load ({source}); fix or remove it first.</source>
      <translation>Der Layer {name} konnte nicht geladen werden ({source}); bitte zuerst reparieren oder entfernen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The layers {names} have no features: the map would be empty.</source>
      <translation>Die Layer {names} haben keine Objekte: die Karte wäre leer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>The layout template has no picture item with the id 'inset' for the image.</source>
      <translation>Die Layoutvorlage hat kein Bildelement mit der ID 'inset' für das Bild.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>The layout template {path} cannot be read: {reason}</source>
      <translation>Die Layoutvorlage {path} kann nicht gelesen werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>The layout template {path} does not exist.</source>
      <translation>Die Layoutvorlage {path} existiert nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>The layout template {path} has no map item with the id 'map'.</source>
      <translation>Die Layoutvorlage {path} hat kein Kartenelement mit der ID 'map'.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The map could not be exported to {path}</source>
      <translation>Die Karte konnte nicht nach {path} exportiert werden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The map extent is empty: choose an extent or a district.</source>
      <translation>Der Kartenausschnitt ist leer: einen Ausschnitt oder einen Stadtbezirk wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The name is longer than {count} characters.</source>
      <translation>Der Name ist länger als {count} Zeichen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>The output folder {} is a file, not a folder.</source>
      <translation>Der Ausgabeordner {} ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>The package already has a layer {name}.</source>
      <translation>Das Paket hat schon einen Layer {name}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The package area has no surface.</source>
      <translation>Das Paketgebiet hat keine Fläche.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/basemap.py" />
      <source>The package area is empty: there is nothing to render for the basemap.</source>
      <translation>Das Paketgebiet ist leer: Für die Hintergrundkarte gibt es nichts zu rendern.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The package area must be a polygon.</source>
      <translation>Das Paketgebiet muss ein Polygon sein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>The package can be made; please note:</source>
      <translation>Das Paket kann erstellt werden; bitte beachten Sie:</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>The package cannot be made safely. Resolve these reasons first:</source>
      <translation>Das Paket kann nicht sicher erstellt werden. Beheben Sie zuerst diese Gründe:</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The package cannot be made safely:</source>
      <translation>Das Paket kann nicht sicher erstellt werden:</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The package could not be made: {error}</source>
      <translation>Das Paket konnte nicht erstellt werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>The package file {path} does not exist.</source>
      <translation>Die Paketdatei {path} gibt es nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/journal.py" />
      <source>The package has no layer named {table}.</source>
      <translation>Das Paket hat keinen Layer namens {table}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/conflicts.py" />
      <source>The package has no synced layer {table}.</source>
      <translation>Das Paket hat keinen synchronisierten Layer {table}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>The package holds the features of this area only.</source>
      <translation>Das Paket enthält nur die Objekte dieses Gebiets.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>The package is a folder with the GeoPackage, the project and the photos (DCIM).</source>
      <translation>Das Paket ist ein Ordner mit dem GeoPackage, dem Projekt und den Fotos (DCIM).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/offline_project.py" />
      <source>The package layer {layer} cannot be opened.</source>
      <translation>Der Paketlayer {layer} kann nicht geöffnet werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The package name {name!r} cannot be used: letters, digits, '-' and '_' only, at most 64 characters, starting with a letter or digit.</source>
      <translation>Der Paketname {name!r} ist nicht möglich: nur Buchstaben, Ziffern, '-' und '_', höchstens 64 Zeichen, am Anfang ein Buchstabe oder eine Ziffer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/offline_project.py" />
      <source>The package project would need a network for {layers}.</source>
      <translation>Das Projekt des Pakets bräuchte ein Netzwerk für {layers}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>The package {path} has no table of defect types: create the inspection layer with the plugin.</source>
      <translation>Das Paket {path} hat keine Tabelle der Mängelarten: bitte den Kontrolllayer mit dem Plugin anlegen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>The package's .gpkg file or its folder</source>
      <translation>Die .gpkg-Datei des Pakets oder sein Ordner</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The photo could not be copied to {folder}: {reason}</source>
      <translation>Das Foto konnte nicht nach {folder} kopiert werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The photo path {path} points outside the package; it was not uploaded.</source>
      <translation>Der Fotopfad {path} zeigt aus dem Paket heraus; das Foto wurde nicht hochgeladen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The photo {path} cannot be read: {reason}</source>
      <translation>Das Foto {path} kann nicht gelesen werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The photo {path} does not exist or cannot be read.</source>
      <translation>Das Foto {path} gibt es nicht oder es kann nicht gelesen werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The photo {path} is larger than {size} MB.</source>
      <translation>Das Foto {path} ist größer als {size} MB.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The photo {path} is missing from the package folder.</source>
      <translation>Das Foto {path} fehlt im Paketordner.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The photo's file name contains characters no file can have: {path}</source>
      <translation>Der Dateiname des Fotos enthält Zeichen, die kein Dateiname haben kann: {path}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The port in the URL is not a number between 1 and 65535.</source>
      <translation>Der Port in der URL ist keine Zahl zwischen 1 und 65535.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>The pre-check failed: {error}</source>
      <translation>Die Vorprüfung ist gescheitert: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/project_layers.py" />
      <source>The project has no districts layer to find the district {name} in.</source>
      <translation>Das Projekt hat keinen Layer der Stadtbezirke, in dem der Bezirk {name} zu finden wäre.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/project_layers.py" />
      <source>The project has no map theme {theme} (map themes: {known}).</source>
      <translation>Das Projekt hat kein Kartenthema {theme} (Kartenthemen: {known}).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/offline_project.py" />
      <source>The project {path} cannot be written: {error}</source>
      <translation>Das Projekt {path} kann nicht geschrieben werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The raster {layer} cannot be cut to the area: {error}</source>
      <translation>Das Raster {layer} kann nicht auf das Gebiet zugeschnitten werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>The receipts could not be written: {reason}</source>
      <translation>Die Quittungen konnten nicht geschrieben werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>The receipts of at least the last sync are kept: {value} is not a number of syncs of 1 or more.</source>
      <translation>Es bleiben mindestens die Quittungen des letzten Abgleichs: {value} ist keine Anzahl von 1 oder mehr Abgleichen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/http.py" />
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <location filename="../herne_twin_plugin/core/field/transports/postgis.py" />
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>The request to the server was cancelled.</source>
      <translation>Die Anfrage an den Server wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The resized copy of {path} could not be written.</source>
      <translation>Die verkleinerte Kopie von {path} konnte nicht geschrieben werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The resolution must be between {low} and {high} dpi, not {dpi}.</source>
      <translation>Die Auflösung muss zwischen {low} und {high} dpi liegen, nicht {dpi}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The scheme {scheme}:// is not supported for a {type}. Use {schemes}.</source>
      <translation>Das Schema {scheme}:// wird für den Typ {type} nicht unterstützt. Verwenden Sie {schemes}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The secure connection (TLS/SSL) to {host} failed. Check the certificate and whether the server speaks https.</source>
      <translation>Die sichere Verbindung (TLS/SSL) zu {host} ist fehlgeschlagen. Prüfen Sie das Zertifikat und ob der Server https spricht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>The seed must be a whole number, not {!r}.</source>
      <translation>Der Startwert muss eine ganze Zahl sein, nicht {!r}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The sensor readings could not be read: {error}</source>
      <translation>Die Sensormesswerte konnten nicht gelesen werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/chart.py" />
      <source>The sensor stations layer for the charts failed to load.</source>
      <translation>Der Layer der Sensorstationen für die Diagramme konnte nicht geladen werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/live_dock.py" />
      <source>The sensor stations layer that tells which LoRaWAN device is which station (fields station_id, device_eui, observed_properties)</source>
      <translation>Der Layer der Sensorstationen, der angibt, welches LoRaWAN-Gerät welche Station ist (Felder station_id, device_eui, observed_properties)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server answered with HTTP {status}.</source>
      <translation>Der Server antwortete mit HTTP {status}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>The server could not be read again: {reason}</source>
      <translation>Der Server konnte nicht erneut gelesen werden: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server counted {matched} features but handed out only {read}: its pages are not stable. Nothing was taken from this read.</source>
      <translation>Der Server hat {matched} Objekte gezählt, aber nur {read} ausgegeben: seine Seiten sind nicht stabil. Aus diesem Abruf wurde nichts übernommen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server did not stop paging.</source>
      <translation>Der Server hat das seitenweise Ausliefern nicht beendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The server does not list the key column {column} of {layer}.</source>
      <translation>Der Server führt die Schlüsselspalte {column} von {layer} nicht auf.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server failed with HTTP {status}. Try again later or tell the service's operator.</source>
      <translation>Der Server ist mit HTTP {status} gescheitert. Versuchen Sie es später erneut oder informieren Sie den Betreiber des Dienstes.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>The server has new fields in layer {table} ({fields}); the package leaves them as they are on the server.</source>
      <translation>Der Server hat neue Felder in Layer {table} ({fields}); das Paket lässt sie, wie sie auf dem Server sind.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server needs credentials (HTTP 401). Choose an authentication configuration for this service.</source>
      <translation>Der Server verlangt Anmeldedaten (HTTP 401). Wählen Sie eine Authentifizierungskonfiguration für diesen Dienst.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>The server no longer has the fields {fields} of layer {table} (removed or renamed since the package was made): edits of these fields stay in the package; the other edits are synced.</source>
      <translation>Der Server hat die Felder {fields} von Layer {table} nicht mehr (seit dem Packen entfernt oder umbenannt): Änderungen dieser Felder bleiben im Paket; die übrigen Änderungen werden synchronisiert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>The server no longer has the fields {fields}; this edit stays in the package until the field is back or the package is made again.</source>
      <translation>Der Server hat die Felder {fields} nicht mehr; diese Änderung bleibt im Paket, bis das Feld wieder da ist oder das Paket neu erstellt wird.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>The server no longer has the key field {key} of layer {table}: no change of this layer can be matched, all of them are kept in the package.</source>
      <translation>Der Server hat das Schlüsselfeld {key} von Layer {table} nicht mehr: keine Änderung dieses Layers kann zugeordnet werden, alle bleiben im Paket.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server redirects to another address: {location}. Enter that address in the catalog instead.</source>
      <translation>Der Server leitet auf eine andere Adresse um: {location}. Tragen Sie stattdessen diese Adresse in den Katalog ein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/http.py" />
      <source>The server refused the change: {message}</source>
      <translation>Der Server hat die Änderung abgelehnt: {message}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server rejected the credentials (HTTP 401). Check the authentication configuration {authcfg}.</source>
      <translation>Der Server hat die Anmeldedaten abgelehnt (HTTP 401). Prüfen Sie die Authentifizierungskonfiguration {authcfg}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server reported an error: {message}</source>
      <translation>Der Server meldet einen Fehler: {message}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server sent a geometry that cannot be read.</source>
      <translation>Der Server hat eine Geometrie gesendet, die nicht gelesen werden kann.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server sent something that is not a GeoJSON feature.</source>
      <translation>Der Server hat etwas gesendet, das kein GeoJSON-Objekt ist.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/common.py" />
      <source>The server sent {value} for the field {field}, which is no {type} value.</source>
      <translation>Der Server hat für das Feld {field} den Wert {value} gesendet, der kein {type}-Wert ist.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/sensorthings.py" />
      <source>The server's @iot.nextLink leads back to a page already read; reading stopped after {pages} pages.</source>
      <translation>Der @iot.nextLink des Servers führt zu einer bereits gelesenen Seite zurück; das Lesen wurde nach {pages} Seiten beendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/sensorthings.py" />
      <source>The server's @iot.nextLink points to another server; it was not followed.</source>
      <translation>Der @iot.nextLink des Servers zeigt auf einen anderen Server; ihm wurde nicht gefolgt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server's answer is not a GeoJSON feature collection: {url}</source>
      <translation>Die Antwort des Servers ist keine GeoJSON-FeatureCollection: {url}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server's answer is not an OGC API collection: {url}</source>
      <translation>Die Antwort des Servers ist keine OGC-API-Collection: {url}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/fetch.py" />
      <source>The server's answer is not what the API defines: {what}.</source>
      <translation>Die Antwort des Servers entspricht nicht der API-Definition: {what}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/common.py" />
      <source>The server's layer {layer} has changed since the package was made: the field(s) {fields} are gone or renamed. Nothing was sent; your edits stay in the package. Ask the service's operator, or make a new package after the sync.</source>
      <translation>Der Layer {layer} auf dem Server hat sich seit dem Packen geändert: das Feld bzw. die Felder {fields} fehlen oder wurden umbenannt. Es wurde nichts gesendet; Ihre Änderungen bleiben im Paket. Fragen Sie den Betreiber des Dienstes oder erstellen Sie nach der Synchronisation ein neues Paket.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server's next link leads back to a page already read.</source>
      <translation>Der Verweis des Servers auf die nächste Seite führt zu einer bereits gelesenen Seite zurück.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/oapif.py" />
      <source>The server's next link leads to another server; it was not followed.</source>
      <translation>Der Verweis des Servers auf die nächste Seite führt zu einem anderen Server; ihm wurde nicht gefolgt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>The server's transport did not send the change of {key}.</source>
      <translation>Die Serververbindung hat die Änderung von {key} nicht gesendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>The service catalog has no entry named {name} (nor one with that id).</source>
      <translation>Der Dienstkatalog hat keinen Eintrag namens {name} (auch keinen mit dieser ID).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/hazard_layers.py" />
      <source>The service catalog has no entry {service}.</source>
      <translation>Der Dienstkatalog hat keinen Eintrag {service}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>The service of layer {table} does not accept changes; the edit stays in the package.</source>
      <translation>Der Dienst von Layer {table} nimmt keine Änderungen an; die Änderung bleibt im Paket.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The service of {layer} has no inspection layer ({table}) that takes new features: the inspections stay in the package and are not sent to a server.</source>
      <translation>Der Dienst von {layer} hat keinen Kontroll-Layer ({table}), der neue Objekte annimmt: Die Kontrollen bleiben im Paket und werden an keinen Server gesendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The shared folder {folder} is not reachable.</source>
      <translation>Der gemeinsame Ordner {folder} ist nicht erreichbar.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>The station {id} is not in this source.</source>
      <translation>Die Station {id} ist in dieser Quelle nicht enthalten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>The sync failed: {reason}. Nothing is lost: unconfirmed edits stay in the package.</source>
      <translation>Die Synchronisation ist fehlgeschlagen: {reason}. Nichts geht verloren: unbestätigte Bearbeitungen bleiben im Paket.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <location filename="../herne_twin_plugin/processing/sync_field_algorithm.py" />
      <source>The sync stopped early: {reason}</source>
      <translation>Die Synchronisierung wurde vorzeitig beendet: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>The sync was cancelled; what was not confirmed by the server stays in the package and is sent next time.</source>
      <translation>Die Synchronisation wurde abgebrochen; was der Server nicht bestätigt hat, bleibt im Paket und wird beim nächsten Mal gesendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The table {table} cannot be created in the package: {error}</source>
      <translation>Die Tabelle {table} kann im Paket nicht angelegt werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>The table {table} cannot be written: {error}</source>
      <translation>Die Tabelle {table} kann nicht geschrieben werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/scene.py" />
      <source>The terrain must be a valid raster layer of heights.</source>
      <translation>Das Gelände muss ein gültiger Raster-Layer mit Höhen sein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The test failed unexpectedly: {error}</source>
      <translation>Der Test ist unerwartet fehlgeschlagen: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The test was cancelled.</source>
      <translation>Der Test wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/tiles.py" />
      <source>The tile URL template must be an http:// or https:// address.</source>
      <translation>Die Kachel-URL-Vorlage muss eine http://- oder https://-Adresse sein.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/tiles.py" />
      <source>The tile URL template needs the placeholders {E} and {N} (tile corner in km).</source>
      <translation>Die Kachel-URL-Vorlage braucht die Platzhalter {E} und {N} (Kachelecke in km).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>The time of the inspection is missing.</source>
      <translation>Der Zeitpunkt der Kontrolle fehlt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>The upload of the photos was cancelled.</source>
      <translation>Das Hochladen der Fotos wurde abgebrochen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>The write-back check needs a waiting time above 0 seconds.</source>
      <translation>Die Rückschreib-Prüfung braucht eine Wartezeit über 0 Sekunden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>The {what} expression {expression} is not valid: {reason}</source>
      <translation>Der {what}-Ausdruck {expression} ist ungültig: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>The {what} expression {expression} uses fields the layer {layer} lacks: {fields}</source>
      <translation>Der {what}-Ausdruck {expression} verwendet Felder, die der Layer {layer} nicht hat: {fields}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/chart.py" />
      <source>There are no readings to draw.</source>
      <translation>Es gibt keine Messwerte zum Zeichnen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/project_layers.py" />
      <source>There is no district {name}; the districts are: {known}.</source>
      <translation>Es gibt keinen Stadtbezirk {name}; die Stadtbezirke sind: {known}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>There is no layer to put on the map: make layers visible or choose a map theme.</source>
      <translation>Es gibt keinen Layer für die Karte: Layer sichtbar schalten oder ein Kartenthema wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>There is no map whose extent could be taken.</source>
      <translation>Es gibt keine Karte, deren Ausschnitt genommen werden könnte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Tile URL template (with {E} and {N}; needs an extent)</source>
      <translation>Kachel-URL-Vorlage (mit {E} und {N}; braucht einen Ausschnitt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Tile download</source>
      <translation>Kachel-Download</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>Tile {tile} was not imported: {reason}</source>
      <translation>Kachel {tile} wurde nicht importiert: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>Tile {tile}: already imported with the same content, skipped.</source>
      <translation>Kachel {tile}: mit gleichem Inhalt schon importiert, übersprungen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>Tile {tile}: not on the server (no buildings there?).</source>
      <translation>Kachel {tile}: nicht auf dem Server (dort keine Gebäude?).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>Tile {tile}: {buildings} buildings imported, {failures} failed.</source>
      <translation>Kachel {tile}: {buildings} Gebäude importiert, {failures} nicht importiert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Tiles imported</source>
      <translation>Importierte Kacheln</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Tiles skipped (already imported)</source>
      <translation>Übersprungene Kacheln (schon importiert)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>Tiles that failed</source>
      <translation>Nicht importierte Kacheln</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>Time</source>
      <translation>Zeit</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Time range</source>
      <translation>Zeitraum</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Title</source>
      <translation>Titel</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>To send</source>
      <translation>Zu senden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Tree leaning</source>
      <translation>Baum schief</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>Trunk damaged</source>
      <translation>Stammschaden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>Type</source>
      <translation>Typ</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>URL</source>
      <translation>URL</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_layers.py" />
      <source>Unknown footprint style {style!r}: use 'function' or 'height'.</source>
      <translation>Unbekannter Grundriss-Stil {style!r}: verwenden Sie 'function' oder 'height'.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/templates.py" />
      <source>Unknown layout template {template}: choose one of {choices} or a .qpt file.</source>
      <translation>Unbekannte Layoutvorlage {template}: bitte eine von {choices} oder eine .qpt-Datei wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/language.py" />
      <source>Unknown map language {code}: use one of {choices}.</source>
      <translation>Unbekannte Kartensprache {code}: bitte eine von {choices} wählen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Unknown option {names} for a {type}.</source>
      <translation>Unbekannte Option {names} für den Typ {type}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/scales.py" />
      <source>Unknown scale '{}': use one of {}.</source>
      <translation>Unbekannter Umfang '{}': verwenden Sie einen von {}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>Value:</source>
      <translation>Wert:</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>Version</source>
      <translation>Version</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Version {version} is not supported for a {type}.</source>
      <translation>Version {version} wird für den Typ {type} nicht unterstützt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <source>Visible layers</source>
      <translation>Sichtbare Layer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>WFS</source>
      <translation>WFS</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>WMS</source>
      <translation>WMS</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/buildings_3d.py" />
      <source>Walls</source>
      <translation>Wände</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Warning level</source>
      <translation>Warnstufe</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_style.py" />
      <source>Warning level exceeded</source>
      <translation>Warnstufe überschritten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Warning level reached</source>
      <translation>Warnstufe erreicht</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/hazard_layers.py" />
      <source>Water depth: {scenario}</source>
      <translation>Wassertiefe: {scenario}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Water depth: {}</source>
      <translation>Wassertiefe: {}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/observed_properties.py" />
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Water level</source>
      <translation>Wasserstand</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Web portal</source>
      <translation>Webportal</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>What else goes along?</source>
      <translation>Was kommt noch mit?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Where to?</source>
      <translation>Wohin?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Which area?</source>
      <translation>Welches Gebiet?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Which buildings, street lights and sensors are at risk in a Starkregen scenario</source>
      <translation>Welche Gebäude, Straßenleuchten und Sensoren in einem Starkregen-Szenario gefährdet sind</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>Which buildings, street lights and sensors are at risk in a Starkregen scenario. For each asset: the maximum and mean water depth at or around it (from a depth raster in cm), its depth class (10-30, 30-50, 50-100, &gt;100 cm, 'below 10 cm' or 'no data'), the share of the asset inside the hazard data and, for footprints, the share of the area in each class. Assets outside the hazard data are 'no data', never safe. The hazard is a depth raster (cells without water inside the raster count as dry) or a layer of depth-class polygons (e.g. the sample city's extremregen layer; a layer with several scenarios needs the scenario). Street lights get their inspection state (from an inspections table with light_uuid, inspected_at, condition, open_defects) and a priority: the deepest class with open defects first. Water-level and rain sensors get the state their thresholds give in the scenario. The summary counts the assets per district and class. Hazard data in another coordinate system is handled on the fly; invalid polygons are repaired and named in the log.</source>
      <translation>Welche Gebäude, Straßenleuchten und Sensoren in einem Starkregen-Szenario gefährdet sind. Für jedes Objekt: die größte und die mittlere Wassertiefe an oder um das Objekt (aus einem Wassertiefen-Raster in cm), seine Tiefenklasse (10-30, 30-50, 50-100, &gt;100 cm, 'below 10 cm' = unter 10 cm oder 'no data' = keine Daten), der Anteil des Objekts innerhalb der Gefahrendaten und bei Grundrissen der Flächenanteil je Klasse. Objekte außerhalb der Gefahrendaten sind 'no data', niemals sicher. Die Gefahr ist ein Wassertiefen-Raster (Zellen ohne Wasser innerhalb des Rasters gelten als trocken) oder ein Layer mit Tiefenklassen-Polygonen (etwa der Layer extremregen der Beispielstadt; ein Layer mit mehreren Szenarien braucht das Szenario). Straßenleuchten erhalten ihren Prüfstand (aus einer Prüftabelle mit light_uuid, inspected_at, condition, open_defects) und eine Priorität: die tiefste Klasse mit offenen Mängeln zuerst. Pegel- und Regensensoren erhalten den Zustand, den ihre Schwellenwerte im Szenario ergeben. Die Zusammenfassung zählt die Objekte je Stadtbezirk und Klasse. Gefahrendaten in einem anderen Koordinatensystem werden beim Lesen umgerechnet; ungültige Polygone werden repariert und im Protokoll genannt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>Which layers go into the field?</source>
      <translation>Welche Layer gehen mit ins Feld?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_style.py" />
      <source>Within limits</source>
      <translation>Innerhalb der Grenzwerte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/online_edit_guard.py" />
      <source>Write-back check</source>
      <translation>Prüfung vor dem Zurückschreiben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>Write-back check: reading the server's current values</source>
      <translation>Rückschreib-Prüfung: aktuelle Werte des Servers lesen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Writes a synthetic Herne at real coordinates (EPSG:25832) into the output folder: herne_sample.gpkg with districts, streets, street lights, sensor stations, building footprints and Starkregen depth classes; depth rasters per Starkregen scenario; LoD2 buildings as NRW CityGML tiles; and SYNTHETIC.txt. None of it describes real assets. 'Sample' covers the centre of Herne-Mitte in seconds, 'Full city' all of Herne (about 16,500 street lights and 50,000 buildings; about a minute and 650 MB). The same seed always gives identical files.</source>
      <translation>Schreibt ein synthetisches Herne an echten Koordinaten (EPSG:25832) in den Ausgabeordner: herne_sample.gpkg mit Stadtbezirken, Straßen, Straßenleuchten, Sensorstationen, Gebäudegrundrissen und Starkregen-Wassertiefenklassen; Wassertiefenraster je Starkregen-Szenario; LoD2-Gebäude als NRW-CityGML-Kacheln; und SYNTHETIC.txt. Nichts davon beschreibt echte Anlagen. 'Beispiel' umfasst das Zentrum von Herne-Mitte in Sekunden, 'Ganze Stadt' ganz Herne (etwa 16.500 Straßenleuchten und 50.000 Gebäude; etwa eine Minute und 650 MB). Derselbe Startwert ergibt immer identische Dateien.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>Writing the CityGML tiles</source>
      <translation>CityGML-Kacheln werden geschrieben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>Writing the GeoPackage</source>
      <translation>GeoPackage wird geschrieben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geopackage_writer.py" />
      <source>Writing the GeoPackage failed ({step}): {error}</source>
      <translation>Das Schreiben des GeoPackages ist fehlgeschlagen ({step}): {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>Writing the Starkregen depth rasters</source>
      <translation>Starkregen-Wassertiefenraster werden geschrieben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>Written files</source>
      <translation>Geschriebene Dateien</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>Written to {path}</source>
      <translation>Geschrieben nach {path}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>Written: {path}</source>
      <translation>Geschrieben: {path}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Wrong service type: expected {expected}, but the answer is a {found} document.</source>
      <translation>Falscher Diensttyp: {expected} erwartet, die Antwort ist aber ein {found}-Dokument.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>a comparison needs a field on one side</source>
      <translation>ein Vergleich braucht auf einer Seite ein Feld</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>already applied</source>
      <translation>schon übernommen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>applied</source>
      <translation>übernommen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>assets</source>
      <translation>Objekte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_session.py" />
      <source>cancelled</source>
      <translation>abgebrochen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>changed</source>
      <translation>geändert</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>changed (up to {distance} m)</source>
      <translation>geändert (bis {distance} m)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>changed on the server: {fields}</source>
      <translation>auf dem Server geändert: {fields}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>conflict</source>
      <translation>Konflikt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>coverage polygons</source>
      <translation>Abdeckungspolygone</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/as_of.py" />
      <source>date not stated</source>
      <translation>Datum nicht angegeben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>deleted</source>
      <translation>gelöscht</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>deleted on one side and edited on the other</source>
      <translation>auf einer Seite gelöscht und auf der anderen bearbeitet</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>deleted on the server</source>
      <translation>auf dem Server gelöscht</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>deletion of {key}</source>
      <translation>das Löschen von {key}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>depth-class polygons</source>
      <translation>Tiefenklassen-Polygone</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>done</source>
      <translation>erledigt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>edited</source>
      <translation>bearbeitet</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>edited here and on the server: {fields}</source>
      <translation>hier und auf dem Server bearbeitet: {fields}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>error</source>
      <translation>Fehler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>failed</source>
      <translation>fehlgeschlagen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>file</source>
      <translation>Datei</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>filter</source>
      <translation>Filter</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>for {scenario}</source>
      <translation>für {scenario}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>from the server</source>
      <translation>vom Server</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>geometry</source>
      <translation>Geometrie</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ngsi.py" />
      <source>index and values of the same length</source>
      <translation>index und values gleicher Länge</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>insert of {key}</source>
      <translation>das Einfügen von {key}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>invalid position</source>
      <translation>ungültige Position</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>invalid time</source>
      <translation>ungültige Zeit</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>it is not a valid expression ({error})</source>
      <translation>er ist kein gültiger Ausdruck ({error})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/chart.py" />
      <source>latest {value:g} {unit} at {when}</source>
      <translation>zuletzt {value:g} {unit} am {when}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>malformed JSON</source>
      <translation>fehlerhaftes JSON</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>map service</source>
      <translation>Kartendienst</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>merged</source>
      <translation>zusammengeführt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>message too large</source>
      <translation>Nachricht zu groß</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>missing field</source>
      <translation>fehlendes Feld</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>moved out of the package's area or filter on the server</source>
      <translation>auf dem Server aus dem Gebiet oder Filter des Pakets verschoben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>moved {distance} m</source>
      <translation>{distance} m verschoben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>new</source>
      <translation>neu</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>new on the server</source>
      <translation>neu auf dem Server</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>no</source>
      <translation>nein</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>no MQTT answer (is it an MQTT broker?)</source>
      <translation>keine MQTT-Antwort (ist das ein MQTT-Broker?)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>no column identifies each feature for good (an ID or UUID column): field edits could not be matched with the server's features. Choose a key column or ask for one on the server.</source>
      <translation>keine Spalte kennzeichnet jedes Objekt dauerhaft (eine ID- oder UUID-Spalte): Änderungen aus dem Feld könnten den Objekten des Servers nicht zugeordnet werden. Wählen Sie eine Schlüsselspalte oder bitten Sie um eine auf dem Server.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ngsi.py" />
      <source>no entity list</source>
      <translation>keine Entitätenliste</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/sensorthings.py" />
      <source>no entity list (value)</source>
      <translation>keine Entitätenliste (value)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>no features in the area (and filter).</source>
      <translation>keine Objekte im Gebiet (und Filter).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>no readings</source>
      <translation>keine Messwerte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/project_layers.py" />
      <source>none</source>
      <translation>keine</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>not a JSON object</source>
      <translation>kein JSON-Objekt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>not a finite number</source>
      <translation>keine endliche Zahl</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/exposure.py" />
      <source>not a raster GDAL knows</source>
      <translation>kein Raster, das GDAL kennt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>not rated yet</source>
      <translation>noch nicht bewertet</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>nothing to synchronise</source>
      <translation>nichts zu synchronisieren</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>only plain values can be compared with {field}</source>
      <translation>mit {field} können nur einfache Werte verglichen werden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>open: follow-up needed</source>
      <translation>offen: Nacharbeit nötig</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>outside the physical range</source>
      <translation>außerhalb des physikalischen Bereichs</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>over {lower:g} m</source>
      <translation>über {lower:g} m</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>page name</source>
      <translation>Seitennamen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>payload cannot be decoded</source>
      <translation>Nutzdaten nicht dekodierbar</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>raster file</source>
      <translation>Rasterdatei</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/receipts.py" />
      <source>rejected</source>
      <translation>abgelehnt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>see the Processing log</source>
      <translation>siehe das Processing-Protokoll</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <source>sort</source>
      <translation>Sortier</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>suspect (unit not understood)</source>
      <translation>zweifelhaft (Einheit unbekannt)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <source>temporary layer</source>
      <translation>temporärer Layer</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>testing…</source>
      <translation>wird getestet…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the OGC API Features service takes no edits for this collection (no Part 4 'create, replace, delete'): edits made in the field could not be written back.</source>
      <translation>der OGC-API-Features-Dienst nimmt für diese Collection keine Änderungen an (kein Teil 4 'create, replace, delete'): Änderungen aus dem Feld könnten nicht zurückgeschrieben werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the WFS offers no transactions (WFS-T) for this layer: edits made in the field could not be written back.</source>
      <translation>der WFS bietet für diesen Layer keine Transaktionen (WFS-T): Änderungen aus dem Feld könnten nicht zurückgeschrieben werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>the broker refused the connection: {reason}</source>
      <translation>der Broker hat die Verbindung abgelehnt: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>the check of the previous save is still waiting for the server</source>
      <translation>die Prüfung des vorigen Speicherns wartet noch auf den Server</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>the check stopped before the server answered</source>
      <translation>die Prüfung endete, bevor der Server antwortete</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the chosen key column {column} is not in the layer.</source>
      <translation>die gewählte Schlüsselspalte {column} gibt es im Layer nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>the connection was closed</source>
      <translation>die Verbindung wurde geschlossen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>the connection was lost ({error})</source>
      <translation>die Verbindung ist abgebrochen ({error})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the database password is stored in the layer, not in an authentication configuration: the package will not hold it, so the sync asks the database's service file or password file.</source>
      <translation>das Datenbankpasswort steht im Layer, nicht in einer Authentifizierungskonfiguration: Das Paket speichert es nicht, daher fragt die Synchronisierung die Service-Datei oder Passwortdatei der Datenbank.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the filter expression is not valid for this layer: {error}</source>
      <translation>der Filterausdruck ist für diesen Layer ungültig: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the geometries carry measure values (M), which WFS and OGC API Features cannot send back: they would be lost.</source>
      <translation>die Geometrien tragen Messwerte (M), die WFS und OGC API Features nicht zurücksenden können: Sie gingen verloren.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the layer cannot be read (is the service reachable?).</source>
      <translation>der Layer kann nicht gelesen werden (ist der Dienst erreichbar?).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the layer comes from a file or from memory on this computer: there is no server to send the field edits to.</source>
      <translation>der Layer stammt aus einer Datei oder aus dem Speicher dieses Rechners: Es gibt keinen Server, an den die Änderungen aus dem Feld gehen könnten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the layer has curved geometries (arcs): they would come back from the field as straight segments. Convert them on the server first.</source>
      <translation>der Layer hat gekrümmte Geometrien (Bögen): Sie kämen aus dem Feld als gerade Strecken zurück. Wandeln Sie sie zuerst auf dem Server um.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>the layer has no field {field}</source>
      <translation>der Layer hat kein Feld {field}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the layer has no geometry: it cannot be cut to the area nor shown on the map.</source>
      <translation>der Layer hat keine Geometrie: Er kann weder auf das Gebiet zugeschnitten noch auf der Karte gezeigt werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the layer mixes geometry types: edits could not be written back reliably. Use a layer of one geometry type.</source>
      <translation>der Layer mischt Geometrietypen: Änderungen könnten nicht zuverlässig zurückgeschrieben werden. Verwenden Sie einen Layer mit einem Geometrietyp.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>the operator {operator} is not supported</source>
      <translation>der Operator {operator} wird nicht unterstützt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the plugin cannot write edits back to this kind of service ({provider}): only WFS, OGC API Features and PostGIS.</source>
      <translation>das Plugin kann Änderungen nicht an diese Art von Dienst ({provider}) zurückschreiben: nur WFS, OGC API Features und PostGIS.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>the provider could not open it</source>
      <translation>der Datenanbieter konnte ihn nicht öffnen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>the server applied nothing and gave no reason</source>
      <translation>der Server hat nichts übernommen und keinen Grund genannt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>the server did not answer within {seconds} s</source>
      <translation>der Server hat nicht innerhalb von {seconds} s geantwortet</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the service could not be asked whether it takes edits: {error}</source>
      <translation>der Dienst konnte nicht gefragt werden, ob er Änderungen annimmt: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the service deletes no features of this layer: deletions made in the field would stay in the package.</source>
      <translation>der Dienst löscht keine Objekte dieses Layers: Im Feld gelöschte Objekte blieben im Paket.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>the service takes no new features for this layer: features added in the field would stay in the package.</source>
      <translation>der Dienst nimmt für diesen Layer keine neuen Objekte an: Im Feld hinzugefügte Objekte blieben im Paket.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>this is a map picture from a server (WMS, XYZ tiles), not features: it cannot be inspected or edited offline. Choose it as the basemap instead.</source>
      <translation>dies ist ein Kartenbild von einem Server (WMS, XYZ-Kacheln), keine Objekte: Es kann offline weder kontrolliert noch bearbeitet werden. Wählen Sie es stattdessen als Hintergrundkarte.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>this is a raster, not features: it cannot be inspected. Take it as a hazard or basemap layer instead.</source>
      <translation>dies ist ein Raster, keine Objekte: Es kann nicht kontrolliert werden. Nehmen Sie es stattdessen als Gefahren- oder Hintergrundlayer.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>time in the future</source>
      <translation>Zeit in der Zukunft</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>too deeply nested</source>
      <translation>zu tief verschachtelt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>topic and message name different devices</source>
      <translation>Topic und Nachricht nennen verschiedene Geräte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>unchanged</source>
      <translation>unverändert</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>unchecked (no known range)</source>
      <translation>ungeprüft (kein bekannter Bereich)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>under {upper} years</source>
      <translation>unter {upper} Jahre</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>unknown device</source>
      <translation>unbekanntes Gerät</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/atlas.py" />
      <location filename="../herne_twin_plugin/gui/export_dock.py" />
      <location filename="../herne_twin_plugin/gui/field/package_wizard.py" />
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>unknown error</source>
      <translation>unbekannter Fehler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>unknown message format</source>
      <translation>unbekanntes Nachrichtenformat</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/wfst.py" />
      <source>update of {key}</source>
      <translation>die Änderung von {key}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>valid</source>
      <translation>gültig</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/quality.py" />
      <source>wrong type</source>
      <translation>falscher Typ</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>yes</source>
      <translation>ja</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>you changed the edits while the server was asked; save again to check them too</source>
      <translation>Sie haben weiter bearbeitet, während der Server gefragt wurde; speichern Sie erneut, damit auch diese Änderungen geprüft werden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>your database account may not change this table (no UPDATE privilege): edits made in the field could not be written back.</source>
      <translation>Ihr Datenbankkonto darf diese Tabelle nicht ändern (kein UPDATE-Recht): Änderungen aus dem Feld könnten nicht zurückgeschrieben werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>{authcfg} is not an authentication configuration id (7 letters or digits).</source>
      <translation>{authcfg} ist keine ID einer Authentifizierungskonfiguration (7 Buchstaben oder Ziffern).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>{buildings} buildings imported, {failed} failed; {tiles} of {attempted} tiles imported, {skipped} already imported, {tiles_failed} failed.</source>
      <translation>{buildings} Gebäude importiert, {failed} nicht importiert; {tiles} von {attempted} Kacheln importiert, {skipped} schon importiert, {tiles_failed} nicht importiert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>{column} is numbered by the server itself and may change: choose a column that identifies each feature for good (e.g. an ID or UUID).</source>
      <translation>{column} wird vom Server selbst nummeriert und kann sich ändern: Wählen Sie eine Spalte, die jedes Objekt dauerhaft kennzeichnet (z. B. eine ID oder UUID).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} already applied</source>
      <translation>{count} bereits übertragen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} applied</source>
      <translation>{count} übertragen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>{count} assets could not be transformed to the hazard data's coordinate system (feature ids {ids}); they are "no data".</source>
      <translation>{count} Objekte ließen sich nicht in das Koordinatensystem der Gefahrendaten umrechnen (Objekt-IDs {ids}); sie sind "no data" (keine Daten).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>{count} assets have no geometry (feature ids {ids}); they are "no data".</source>
      <translation>{count} Objekte haben keine Geometrie (Objekt-IDs {ids}); sie sind "no data" (keine Daten).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} conflicts</source>
      <translation>{count} Konflikte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>{count} conflicts wait for a decision.</source>
      <translation>{count} Konflikte warten auf eine Entscheidung.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>{count} depth-class polygons have no depth class that can be read in {field} (feature ids {ids}): the area they cover counts as no data.</source>
      <translation>{count} Tiefenklassen-Polygone haben in {field} keine lesbare Tiefenklasse (Objekt-IDs {ids}): Ihre Fläche gilt als ohne Daten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>{count} edits are still in the package, kept for the next sync.</source>
      <translation>{count} Änderungen sind noch im Paket und werden bei der nächsten Synchronisierung gesendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} errors</source>
      <translation>{count} Fehler</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>{count} features in the area have no {column}: they could not be matched with the server.</source>
      <translation>{count} Objekte im Gebiet haben keine {column}: Sie könnten dem Server nicht zugeordnet werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>{count} features in the area, more than {limit}: choose a smaller area or a filter.</source>
      <translation>{count} Objekte im Gebiet, mehr als {limit}: Wählen Sie ein kleineres Gebiet oder einen Filter.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/journal.py" />
      <source>{count} features of layer {table} have no {column}: they could not be matched with the server.</source>
      <translation>{count} Objekte des Layers {table} haben kein(e) {column}: sie ließen sich nicht den Objekten auf dem Server zuordnen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>{count} features of {layer} copied.</source>
      <translation>{count} Objekte von {layer} kopiert.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>{count} fields</source>
      <translation>{count} Felder</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>{count} file(s) written to {folder}</source>
      <translation>{count} Datei(en) nach {folder} geschrieben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/import_city_model_algorithm.py" />
      <source>{count} files lie outside the extent and were left out.</source>
      <translation>{count} Dateien liegen außerhalb des Ausschnitts und wurden ausgelassen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>{count} inspections have no light_uuid or no readable inspected_at and are left out.</source>
      <translation>{count} Prüfungen haben keine light_uuid oder kein lesbares inspected_at und bleiben unberücksichtigt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>{count} layer(s) of {service} could not be loaded: {names}</source>
      <translation>{count} Layer von {service} konnten nicht geladen werden: {names}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_map_algorithm.py" />
      <source>{count} layer(s) on the {template} template</source>
      <translation>{count} Layer auf der Vorlage {template}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} merged</source>
      <translation>{count} zusammengeführt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/alerts.py" />
      <source>{count} new sensor alerts; the first: {first}</source>
      <translation>{count} neue Sensoralarme; der erste: {first}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>{count} of {total} assets lie outside the hazard data: "no data", not safe.</source>
      <translation>{count} von {total} Objekten liegen außerhalb der Gefahrendaten: "no data" (keine Daten), nicht sicher.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} older receipt(s) of {syncs} sync(s) removed: the package keeps the receipts of the last {keep} syncs.</source>
      <translation>{count} ältere Quittung(en) aus {syncs} Abgleich(en) entfernt: das Paket behält die Quittungen der letzten {keep} Abgleiche.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} older receipt(s) stay while their conflict is open or their edit is not confirmed by the server.</source>
      <translation>{count} ältere Quittung(en) bleiben, solange ihr Konflikt offen ist oder der Server ihre Änderung nicht bestätigt hat.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/conflict_dialog.py" />
      <source>{count} open conflict(s). Decide each field and apply; the next sync pushes the decision.</source>
      <translation>{count} offene(r) Konflikt(e). Jedes Feld entscheiden und übernehmen; die nächste Synchronisation überträgt die Entscheidung.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>{count} readings of {streams} streams.</source>
      <translation>{count} Messwerte aus {streams} Datenströmen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>{count} readings on the time slider.</source>
      <translation>{count} Messwerte auf dem Zeitschieberegler.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>{count} readings or stations left out: {reason}</source>
      <translation>{count} Messwerte oder Stationen ausgelassen: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} rejected</source>
      <translation>{count} abgelehnt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/sensors/chart_dock.py" />
      <source>{count} stations.</source>
      <translation>{count} Stationen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/receipts_view.py" />
      <source>{count} taken from the server</source>
      <translation>{count} vom Server übernommen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/journal.py" />
      <source>{count} values of {column} occur more than once in layer {table}: it is not a stable key.</source>
      <translation>{count} Werte von {column} kommen im Layer {table} mehrfach vor: die Spalte ist kein stabiler Schlüssel.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/precheck.py" />
      <source>{count} values of {column} occur more than once in the area: it does not identify each feature.</source>
      <translation>{count} Werte von {column} kommen im Gebiet mehrfach vor: Die Spalte kennzeichnet nicht jedes Objekt.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>{count} {what} had invalid geometries and were repaired before the overlay (feature ids {ids}); check them in the source data.</source>
      <translation>{count} {what} hatten ungültige Geometrien und wurden vor der Verschneidung repariert (Objekt-IDs {ids}); bitte in den Quelldaten prüfen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/live_session.py" />
      <source>{error}. Next attempt in {seconds} s.</source>
      <translation>{error}. Nächster Versuch in {seconds} s.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/mqtt_check.py" />
      <source>{host} accepted the connection but sent no MQTT answer within {seconds} s.</source>
      <translation>{host} hat die Verbindung angenommen, aber innerhalb von {seconds} s keine MQTT-Antwort gesendet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>{host} cannot be reached: {error}</source>
      <translation>{host} ist nicht erreichbar: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>{host} closed the connection before answering.</source>
      <translation>{host} hat die Verbindung vor der Antwort geschlossen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/mqtt_check.py" />
      <source>{host} did not answer like an MQTT broker: is it the right host and port?</source>
      <translation>{host} hat nicht wie ein MQTT-Broker geantwortet: Stimmen Host und Port?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>{host} refused the connection. Is the service running and the port right?</source>
      <translation>{host} hat die Verbindung abgelehnt. Läuft der Dienst, und stimmt der Port?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>{host}: {reason}</source>
      <translation>{host}: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_dialog.py" />
      <source>{imported} buildings imported, {failed} failed (listed in import_failures); {count} buildings in {path}.</source>
      <translation>{imported} Gebäude importiert, {failed} fehlgeschlagen (aufgeführt in import_failures); {count} Gebäude in {path}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>{key}, {field}: yours {mine}, server {theirs} (was {base})</source>
      <translation>{key}, {field}: Ihr Wert {mine}, Server {theirs} (vorher {base})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>{key}: deleted on the server since you started</source>
      <translation>{key}: seit Beginn Ihrer Bearbeitung auf dem Server gelöscht</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>{key}: the server moved it too</source>
      <translation>{key}: der Server hat es ebenfalls verschoben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/online_edit.py" />
      <source>{key}: you delete it, but the server changed it since you started</source>
      <translation>{key}: Sie löschen das Objekt, aber der Server hat es seit Beginn Ihrer Bearbeitung geändert</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>{layer} could not be read from its server: {error}</source>
      <translation>{layer} konnte nicht von seinem Server gelesen werden: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/online_edit_guard.py" />
      <source>{layer} was not saved: the server changed what you changed since you started. {conflicts}. Your edits are still there, unsaved: undo an edit to keep the server's value, or save again to write yours over it.</source>
      <translation>{layer} wurde nicht gespeichert: der Server hat seit Beginn Ihrer Bearbeitung dasselbe geändert wie Sie. {conflicts}. Ihre Änderungen sind noch da, ungespeichert: machen Sie eine Änderung rückgängig, um den Wert des Servers zu behalten, oder speichern Sie erneut, um ihn mit Ihrem zu überschreiben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/online_edit_guard.py" />
      <source>{layer} was not saved: the server's current values could not be read to check for changes ({reason}). Your edits are still there, unsaved; save again when the server answers.</source>
      <translation>{layer} wurde nicht gespeichert: die aktuellen Werte des Servers konnten für die Prüfung nicht gelesen werden ({reason}). Ihre Änderungen sind noch da, ungespeichert; speichern Sie erneut, wenn der Server antwortet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/online_edit_guard.py" />
      <source>{layer} was not saved: you cancelled the check against the server. Your edits are still there, unsaved; save again to check and write them.</source>
      <translation>{layer} wurde nicht gespeichert: Sie haben die Prüfung gegen den Server abgebrochen. Ihre Änderungen sind noch da, ungespeichert; speichern Sie erneut, um sie zu prüfen und zu schreiben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/hazard_layers.py" />
      <source>{layer}: heavy rain exposure</source>
      <translation>{layer}: Starkregen-Betroffenheit</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>{layer}: {error}</source>
      <translation>{layer}: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>{lower:g} to {upper:g} m</source>
      <translation>{lower:g} bis {upper:g} m</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>{lower} to {upper} years</source>
      <translation>{lower} bis {upper} Jahre</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>{lower} years and older</source>
      <translation>{lower} Jahre und älter</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>{message}. Next attempt in {seconds} s.</source>
      <translation>{message}. Nächster Versuch in {seconds} s.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/alerts.py" />
      <source>{name} is not an observed property the city measures.</source>
      <translation>{name} ist keine Messgröße, die die Stadt erfasst.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/export_atlas_algorithm.py" />
      <source>{pages} page(s) from {layer}</source>
      <translation>{pages} Seite(n) aus {layer}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>{path} does not exist.</source>
      <translation>{path} existiert nicht.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/package.py" />
      <source>{path} exists already: choose another name or folder (a package is never overwritten, its edits might not be synchronised yet).</source>
      <translation>{path} gibt es schon: Wählen Sie einen anderen Namen oder Ordner (ein Paket wird nie überschrieben, seine Änderungen sind vielleicht noch nicht synchronisiert).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/geopackage_writer.py" />
      <source>{path} exists and is not a GeoPackage.</source>
      <translation>{path} existiert und ist kein GeoPackage.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/sync.py" />
      <source>{path} is no field package (it has no package manifest).</source>
      <translation>{path} ist kein Feldpaket (es hat kein Paketverzeichnis).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/field_package.py" />
      <source>{path} is no field package of the Herne Digital Twin (made with 'Create field package').</source>
      <translation>{path} ist kein Feldpaket des Digitalen Zwillings Herne (erstellt mit „Feldpaket erstellen“).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/inspection.py" />
      <source>{path} is not a GeoPackage.</source>
      <translation>{path} ist kein GeoPackage.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel_view/city_model_layers.py" />
      <source>{path} is not a city model: the layer(s) {names} are missing.</source>
      <translation>{path} ist kein Stadtmodell: es fehlen die Layer {names}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>{path} is not a photo file.</source>
      <translation>{path} ist keine Fotodatei.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/attachments.py" />
      <source>{path} is not an image that can be resized ({reason}).</source>
      <translation>{path} ist kein Bild, das verkleinert werden kann ({reason}).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/city_model_drop.py" />
      <source>{path} is not imported: {reason}</source>
      <translation>{path} wird nicht importiert: {reason}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/alerts.py" />
      <source>{property} above {value} {unit} for {minutes} min</source>
      <translation>{property} über {value} {unit} für {minutes} min</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/alerts.py" />
      <source>{property} below {value} {unit} for {minutes} min</source>
      <translation>{property} unter {value} {unit} für {minutes} min</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/scenarios.py" />
      <source>{range} cm</source>
      <translation>{range} cm</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/citymodel/importer.py" />
      <source>{reason} (line {line})</source>
      <translation>{reason} (Zeile {line})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>{service} offers no layers to add.</source>
      <translation>{service} bietet keine Layer zum Hinzufügen an.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sensor_snapshot_algorithm.py" />
      <source>{stations} stations with {readings} latest readings written.</source>
      <translation>{stations} Stationen mit {readings} aktuellen Messwerten geschrieben.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/alerts.py" />
      <source>{station}: {rule} (since {since} UTC, now {value})</source>
      <translation>{station}: {rule} (seit {since} UTC, jetzt {value})</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/field/sync_dialog.py" />
      <source>{summary}; {count} edit(s) kept in the package for the next sync</source>
      <translation>{summary}; {count} Bearbeitung(en) für die nächste Synchronisation im Paket behalten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/package_field_algorithm.py" />
      <source>{table}: {count} features</source>
      <translation>{table}: {count} Objekte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/hazard_exposure_algorithm.py" />
      <source>{total} assets, scenario {scenario}: {exposed} in a depth class of 10 cm or more, {dry} below 10 cm, {no_data} without hazard data.</source>
      <translation>{total} Objekte, Szenario {scenario}: {exposed} in einer Tiefenklasse ab 10 cm, {dry} unter 10 cm, {no_data} ohne Gefahrendaten.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sensors/ingest.py" />
      <source>{url} is not an MQTT broker address (mqtt://host:port or mqtts://host:port).</source>
      <translation>{url} ist keine MQTT-Broker-Adresse (mqtt://host:port oder mqtts://host:port).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/field/transports/expression_filter.py" />
      <source>{value} is no value for {field}</source>
      <translation>{value} ist kein Wert für {field}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/hazard/sources.py" />
      <source>{what} ({source}) and the hazard data ({target}) are in different coordinate systems: {what} are transformed to {target} on the fly.</source>
      <translation>{what} ({source}) und die Gefahrendaten ({target}) liegen in verschiedenen Koordinatensystemen: {what} werden beim Lesen nach {target} umgerechnet.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>{} street lights and {} buildings written to {}</source>
      <translation>{} Straßenleuchten und {} Gebäude nach {} geschrieben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/sources.py" />
      <source>© BKG, Hinweiskarte Starkregengefahren (dl-de/by-2-0)</source>
      <translation>© BKG, Hinweiskarte Starkregengefahren (dl-de/by-2-0)</translation>
    </message>
  </context>
</TS>
