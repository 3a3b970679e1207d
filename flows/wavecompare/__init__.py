"""wavecompare: compare waves of stakeholder interviews in a DuckDB warehouse.

Importing the package sets offline defaults before Prefect or Great Expectations
are imported: no telemetry, no analytics, and a start-up timeout for Prefect's
ephemeral API that a cold first run on a small machine can meet. Values the user
has set in the environment win.
"""

import os

__version__ = "0.1.0"

OFFLINE_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "GX_ANALYTICS_ENABLED": "false",
}

for _name, _value in OFFLINE_DEFAULTS.items():
    os.environ.setdefault(_name, _value)
