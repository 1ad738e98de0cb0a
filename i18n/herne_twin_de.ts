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
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>A service named {name} already exists.</source>
      <translation>Ein Dienst namens {name} existiert bereits.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>A {type} cannot be added as a user service.</source>
      <translation>Ein Eintrag vom Typ {type} kann nicht als eigener Dienst angelegt werden.</translation>
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
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Add a service…</source>
      <translation>Dienst hinzufügen…</translation>
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
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>As of: {date}</source>
      <translation>Stand: {date}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/service_dialog.py" />
      <source>Authentication</source>
      <translation>Authentifizierung</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Buildings</source>
      <translation>Gebäude</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Cannot write to the folder {folder}</source>
      <translation>In den Ordner {folder} kann nicht geschrieben werden</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>City of Herne</source>
      <translation>Stadt Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>CityGML tiles folder</source>
      <translation>Ordner der CityGML-Kacheln</translation>
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
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>Districts, streets and street lights</source>
      <translation>Stadtbezirke, Straßen und Straßenbeleuchtung</translation>
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
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Federal Agency for Cartography (BKG)</source>
      <translation>Bund (BKG)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Full city</source>
      <translation>Ganze Stadt</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/sample_city/geometry.py" />
      <source>GDAL does not know EPSG:{} (PROJ data not found: set PROJ_DATA).</source>
      <translation>GDAL kennt EPSG:{} nicht (PROJ-Daten nicht gefunden: PROJ_DATA setzen).</translation>
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
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Group layer (cannot be requested itself)</source>
      <translation>Gruppenlayer (kann nicht selbst abgerufen werden)</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/plugin.py" />
      <location filename="../herne_twin_plugin/processing/provider.py" />
      <source>Herne Digital Twin</source>
      <translation>Digitaler Zwilling Herne</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>Layers of a {type} cannot be added to the map.</source>
      <translation>Layer eines Dienstes vom Typ {type} können nicht zur Karte hinzugefügt werden.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Legend</source>
      <translation>Legende</translation>
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
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>My services</source>
      <translation>Eigene Dienste</translation>
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
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>No answer from {host} within {seconds} s.</source>
      <translation>Keine Antwort von {host} innerhalb von {seconds} s.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Not found (HTTP 404): check the path of the URL.</source>
      <translation>Nicht gefunden (HTTP 404): Prüfen Sie den Pfad der URL.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>OGC API Features</source>
      <translation>OGC API Features</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/catalog.py" />
      <source>Only your own services can be changed; {id} is not one of them.</source>
      <translation>Nur eigene Dienste können geändert werden; {id} gehört nicht dazu.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Open in the browser</source>
      <translation>Im Browser öffnen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Output folder</source>
      <translation>Ausgabeordner</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Parking</source>
      <translation>Parken</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Reload the catalog</source>
      <translation>Katalog neu laden</translation>
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
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Scale</source>
      <translation>Umfang</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Seed</source>
      <translation>Startwert</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>SensorThings API</source>
      <translation>SensorThings API</translation>
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
      <location filename="../herne_twin_plugin/plugin.py" />
      <source>Show the catalog of the city's services</source>
      <translation>Katalog der städtischen Dienste anzeigen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Soil moisture</source>
      <translation>Bodenfeuchte</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>Sources: {sources}</source>
      <translation>Quellen: {sources}</translation>
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
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>Status</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Street lights</source>
      <translation>Straßenleuchten</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/styles.py" />
      <source>Temperature</source>
      <translation>Temperatur</translation>
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
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The authentication configuration {authcfg} could not be applied. Does it exist, and is the master password entered?</source>
      <translation>Die Authentifizierungskonfiguration {authcfg} konnte nicht angewendet werden. Gibt es sie, und ist das Master-Passwort eingegeben?</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The authentication configuration {authcfg} does not exist.</source>
      <translation>Die Authentifizierungskonfiguration {authcfg} existiert nicht.</translation>
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
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The catalog entry is incomplete or has an unknown type: {error}</source>
      <translation>Der Katalogeintrag ist unvollständig oder hat einen unbekannten Typ: {error}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The host name {host} could not be resolved. Check the address, the network connection and the proxy settings.</source>
      <translation>Der Hostname {host} konnte nicht aufgelöst werden. Prüfen Sie die Adresse, die Netzwerkverbindung und die Proxy-Einstellungen.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/export/map_export.py" />
      <source>The map could not be exported to {path}</source>
      <translation>Die Karte konnte nicht nach {path} exportiert werden</translation>
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
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>The port in the URL is not a number between 1 and 65535.</source>
      <translation>Der Port in der URL ist keine Zahl zwischen 1 und 65535.</translation>
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
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server answered with HTTP {status}.</source>
      <translation>Der Server antwortete mit HTTP {status}.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server failed with HTTP {status}. Try again later or tell the service's operator.</source>
      <translation>Der Server ist mit HTTP {status} gescheitert. Versuchen Sie es später erneut oder informieren Sie den Betreiber des Dienstes.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server needs credentials (HTTP 401). Choose an authentication configuration for this service.</source>
      <translation>Der Server verlangt Anmeldedaten (HTTP 401). Wählen Sie eine Authentifizierungskonfiguration für diesen Dienst.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>The server redirects to another address: {location}. Enter that address in the catalog instead.</source>
      <translation>Der Server leitet auf eine andere Adresse um: {location}. Tragen Sie stattdessen diese Adresse in den Katalog ein.</translation>
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
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>Tile download</source>
      <translation>Kachel-Download</translation>
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
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>WFS</source>
      <translation>WFS</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>WMS</source>
      <translation>WMS</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>Water depth: {}</source>
      <translation>Wassertiefe: {}</translation>
    </message>
    <message>
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
      <location filename="../herne_twin_plugin/core/sample_city/__init__.py" />
      <source>Writing the Starkregen depth rasters</source>
      <translation>Starkregen-Wassertiefenraster werden geschrieben</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/connection_check.py" />
      <source>Wrong service type: expected {expected}, but the answer is a {found} document.</source>
      <translation>Falscher Diensttyp: {expected} erwartet, die Antwort ist aber ein {found}-Dokument.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>failed</source>
      <translation>fehlgeschlagen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/gui/catalog_dock.py" />
      <source>testing…</source>
      <translation>wird getestet…</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>the provider could not open it</source>
      <translation>der Datenanbieter konnte ihn nicht öffnen</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/service_types.py" />
      <source>{authcfg} is not an authentication configuration id (7 letters or digits).</source>
      <translation>{authcfg} ist keine ID einer Authentifizierungskonfiguration (7 Buchstaben oder Ziffern).</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>{count} layer(s) of {service} could not be loaded: {names}</source>
      <translation>{count} Layer von {service} konnten nicht geladen werden: {names}</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/core/services/mqtt_check.py" />
      <source>{host} accepted the connection but sent no MQTT answer within {seconds} s.</source>
      <translation>{host} hat die Verbindung angenommen, aber innerhalb von {seconds} s keine MQTT-Antwort gesendet.</translation>
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
      <location filename="../herne_twin_plugin/core/services/layer_factory.py" />
      <source>{service} offers no layers to add.</source>
      <translation>{service} bietet keine Layer zum Hinzufügen an.</translation>
    </message>
    <message>
      <location filename="../herne_twin_plugin/processing/sample_city_algorithm.py" />
      <source>{} street lights and {} buildings written to {}</source>
      <translation>{} Straßenleuchten und {} Gebäude nach {} geschrieben</translation>
    </message>
  </context>
</TS>
