"""Backup and restore of the database and the media files (``manage.py backup`` and
``restore``). It may import only ``kernel``."""
