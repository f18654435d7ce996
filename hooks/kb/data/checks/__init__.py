"""Checks of the data that a JSON Schema cannot express, one module per concern."""
