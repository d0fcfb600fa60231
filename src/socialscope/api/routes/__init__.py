"""The routers of the API: one module per resource."""

API_PREFIX = "/api/v1"
