"""The accessibility gate: every checker on every output, with reports."""
