"""Stand-ins for the city's sensor platforms: the SensorThings / NGSI v2 fixture server
(scripts/sensor_fixture_server.py) and the LoRaWAN uplink simulator
(scripts/sensor_simulator.py), over the sample city's sensor stations."""
