"""A letter as read, and what it may hold: links, images, characters, markup, budgets, fonts."""
