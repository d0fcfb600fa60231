"""socialscope: social-commerce analytics — chats, lives, posts and staff to orders."""

from socialscope.client import Client, connect
from socialscope.metrics.execute import QueryResult
from socialscope.metrics.query import QueryError

__all__ = ["Client", "QueryError", "QueryResult", "connect"]
__version__ = "0.1.0"
