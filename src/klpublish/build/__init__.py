"""The build stage: which languages are published and how, the build cache, the workers;
status and lint."""
