"""Data: load, check and model the YAML data files."""
