"""Building the outputs: which languages can be published, the build cache, workers, pandoc."""
