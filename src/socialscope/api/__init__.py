"""The HTTP API of `socialscope serve`: authenticated, tenant-scoped queries and imports.

>>> from socialscope.api import create_app
>>> app = create_app(state)  # a socialscope.server.state.ServerState
"""

from socialscope.api.app import create_app, get_state
from socialscope.api.security import Principal, scope_shop
from socialscope.api.telemetry import Telemetry

__all__ = ["Principal", "Telemetry", "create_app", "get_state", "scope_shop"]
