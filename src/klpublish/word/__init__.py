"""Word and OpenDocument letters brought in as Pandoc Markdown (``klpublish import``)."""
