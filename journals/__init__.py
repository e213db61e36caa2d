"""Reflective journals (entries, shares, comments) and supervision meetings; the Markdown
sanitiser (``rendering``) and the exports. Rules in ``services/`` by topic. It may import
``cohorts``, ``courses``, ``pdf``, ``audit`` and ``kernel``."""
