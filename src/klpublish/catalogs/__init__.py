"""The gettext catalogs: PO files, their commands, translation memory, glossaries, labels."""
