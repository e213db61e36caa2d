"""The shared kernel at the bottom of the layers: the roles (``roles``, with the migrations that
make them), the domain error (``errors``), how a person is named and how their words go into a
spreadsheet (``people``), today's date (``clock``), ids in URLs (``converters``) and the record
of a temporary password (``models``). It imports no other app."""
