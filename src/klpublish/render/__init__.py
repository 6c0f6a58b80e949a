"""One writer per format. Each takes a prepared letter AST and returns bytes."""
