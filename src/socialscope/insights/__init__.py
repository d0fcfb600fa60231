"""Insights computed from the registered metrics: anomalies with their explanations."""

from socialscope.insights.anomalies import Anomaly, Explanation, find_anomalies

__all__ = ["Anomaly", "Explanation", "find_anomalies"]
