"""A letter in another language: translated through the walk and checked against its source."""
