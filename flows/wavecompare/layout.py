"""Where a project keeps its study, warehouse and outputs unless told otherwise
(kept apart from the flow so that the command line can name them without
importing Prefect)."""

from pathlib import Path

DEFAULT_RAW_DIR = Path("data/raw")
DEFAULT_WAREHOUSE = Path("data/warehouse.duckdb")
DEFAULT_OUT_DIR = Path("data/processed")
CURRENT = "current"  # OUT_DIR/current: the link to the published run's folder
