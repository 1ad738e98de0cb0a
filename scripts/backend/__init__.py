"""The local city backend: real PostGIS, QGIS Server, pygeoapi and Mosquitto
processes on 127.0.0.1, started and stopped by ``scripts/city_backend.py``.

One module per service; ``processes`` holds what they share (free ports,
spawning, bounded readiness waits, stopping by pid).
"""
