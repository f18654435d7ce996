"""Markup: what every page producer uses."""
