"""The package version: the one place it is written (the ground floor; nothing imports the root)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
