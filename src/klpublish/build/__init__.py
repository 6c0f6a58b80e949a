"""The build stage: each language assessed, published, counted and linted."""
