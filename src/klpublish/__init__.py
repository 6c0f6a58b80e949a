"""klpublish: one official letter, every reader's language, accessible formats."""

__version__ = "0.1.0"
