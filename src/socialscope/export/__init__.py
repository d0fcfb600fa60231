"""The open storage layout: the store as Parquet partitions by shop and month, with a
manifest (docs/storage-layout.md). Other engines read it through `read_manifest`."""

from socialscope.export.files import ExportLockedError
from socialscope.export.manifest import (
    ColumnInfo,
    Manifest,
    ManifestError,
    Partition,
    TableEntry,
    read_manifest,
)
from socialscope.export.source import ExportError
from socialscope.export.tables import EXPORT_TABLES, ExportTable, Kind
from socialscope.export.verify import VerifyReport, verify
from socialscope.export.writer import ExportReport, export_parquet

__all__ = [
    "EXPORT_TABLES",
    "ColumnInfo",
    "ExportError",
    "ExportLockedError",
    "ExportReport",
    "ExportTable",
    "Kind",
    "Manifest",
    "ManifestError",
    "Partition",
    "TableEntry",
    "VerifyReport",
    "export_parquet",
    "read_manifest",
    "verify",
]
