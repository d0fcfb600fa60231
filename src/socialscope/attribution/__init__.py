"""Multi-touch attribution (METRICS.md section 8): paths in, credits per channel and model out."""
