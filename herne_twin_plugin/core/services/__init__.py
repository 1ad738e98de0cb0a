"""The pieces behind the service catalog: entries and their validation, the safe
capabilities reader, the connection check and the layer factory."""
