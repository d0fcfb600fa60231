"""Privacy-sensitive runners: user sets, k-anonymity, loss destinations, audience
profiles and the export of a shop's own audience (docs/audience.md)."""
