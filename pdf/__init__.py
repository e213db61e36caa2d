"""The PDF engine: a Django template to HTML, WeasyPrint to PDF, a URL fetcher that reads only
our static and media files, and the audited PDF response for small personal documents. It knows
nothing of courses or books; it may import only ``audit`` and ``kernel``."""
