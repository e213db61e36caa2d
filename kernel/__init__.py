"""The shared kernel at the bottom of the layers: the roles (``roles``, with the migrations that
make them), the domain error (``errors``), how a person is named and how their words go into a
spreadsheet (``people``), and today's date (``clock``). It imports no other app."""
