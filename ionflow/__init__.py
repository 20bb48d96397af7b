"""ionflow: solid-electrolyte studies from reference calculations to transport tables."""

__version__ = "0.1.0"
