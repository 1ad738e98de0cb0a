"""Sensors of the digital twin: sources, the normalised model, quality, live ingest.

Every source is turned into one model (model.py): ``Station`` -> ``Stream`` ->
``Observation`` (UTC time, float value in the stream's unit, quality flag
``Quality.VALID`` / ``OUT_OF_RANGE`` / ``SUSPECT`` / ``UNCHECKED``). Bad input is
counted per reason (quality.py: ``QualityCounters``, ``Reason``) and logged, never
shown as a valid value.

Modules and their API:

- ``observed_properties``: the city's properties, units, physical ranges, aliases.
- ``model``: Station, Stream, Observation, Snapshot, Quality, parse_time/format_time.
- ``quality``: assess(key, value, unit) -> (value, unit, quality); reading_time();
  RejectionError(reason); QualityCounters; StreamOrder (duplicate / out-of-order).
- ``codecs``: raw LoRaWAN payloads per device type (byte layouts documented there);
  codec_for(sensor_type, model).decode(bytes, f_port) / .encode(readings).
- ``register``: DeviceRegister.from_layer / from_geopackage / from_records: DevEUI
  or device id -> Station (EPSG:25832) and its Streams.
- ``lorawan``: UplinkDecoder(register).process(topic, payload) -> Uplink or None
  (The Things Stack v3 and ChirpStack v4 uplinks); DEFAULT_TOPICS.
- ``fetch``: get_json() through QgsBlockingNetworkRequest with authcfg; SourceError
  (category + message). Blocking: run sources in a QgsTask / Processing algorithm.
- ``sensorthings``: SensorThingsSource(url, authcfg).stations() / latest(extent, since)
  / history(stream, start, end); @iot.nextLink paging with a loop guard.
  SensorThingsMqttDecoder(snapshot): live Observations of the MQTT extension
  (``v1.1/Datastreams(7)/Observations``), a decoder MqttIngest takes like the LoRaWAN one.
- ``ngsi``: NgsiSource(url, service, servicepath, authcfg, quantumleap_url).entities()
  / latest() / history(stream, last_n, start, end).
- ``latest_values``: LatestValueStore.apply(station, observations) (newest wins,
  duplicates and late readings counted).
- ``live_layer``: ReadingsSchema (fields per property: value, unit, time, age_s,
  quality), LiveReadingsLayer (memory point layer), LiveLayerBatcher (QTimer on the
  UI thread: drain queue -> store -> one provider edit, at most N repaints/s).
- ``ingest``: MqttIngest (paho-mqtt on its own thread: QoS 1, TLS, authcfg,
  back-off, clean stop; signal stateChanged), UplinkQueue, ConnectionState.
- ``snapshot``: read_snapshot(catalog entry) and snapshot_features() for
  ``hernetwin:sensorsnapshot``.

Wiring a live layer (the dock does this on the UI thread)::

    counters = QualityCounters()
    decoder = UplinkDecoder(DeviceRegister.from_layer(stations_layer), counters)
    queue = UplinkQueue(counters=counters)
    live = LiveReadingsLayer(LatestValueStore(counters))
    batcher = LiveLayerBatcher(queue, live)
    ingest = MqttIngest.from_service(mqtt_entry, decoder, queue)
    QgsProject.instance().addMapLayer(live.layer); batcher.start(); ingest.start()
    ...
    ingest.stop(); batcher.stop()

For a SensorThings server's MQTT extension, in a QgsTask first
``snapshot = SensorThingsSource(url).latest()``, then
``decoder = SensorThingsMqttDecoder(snapshot, counters=counters)`` and
``MqttIngest(broker_url, decoder, queue, topics=decoder.topics())``.
"""
