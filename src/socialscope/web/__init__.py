"""The web dashboard: server-rendered pages over the metric layer, each with a JSON twin."""
