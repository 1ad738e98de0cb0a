"""The live sensor docks: live readings (live_dock), time-series chart (chart_dock), alert list (alerts)."""
