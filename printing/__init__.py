"""The printed books: the Peer Support Workbook (also in large print), the Trainer Resource
Book and session handouts; what each contains (``documents``), their editions cached by
fingerprint (``fingerprints``, ``services``), background builds (``tasks``), the print page and
``build_books``. It sits above the curriculum: it may import ``evaluation`` (the trainer book's
questionnaires), ``workbook_content``, ``trainer_resources``, ``courses`` (the outline), ``pdf``,
``audit`` and ``kernel``."""
