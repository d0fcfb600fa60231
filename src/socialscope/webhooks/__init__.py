"""Platform webhooks: signatures, routing to a shop, and payload → canonical rows."""
