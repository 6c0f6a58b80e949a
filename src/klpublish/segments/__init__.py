"""A letter's translatable segments: the one walk, their locations, Markdown and messages."""
