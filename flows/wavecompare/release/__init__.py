"""Reporter-ready, release-safe outputs built from the published marts."""
