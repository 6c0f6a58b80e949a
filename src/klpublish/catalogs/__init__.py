"""The gettext catalogs: PO files read and written through their parsers."""
