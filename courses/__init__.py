"""The curriculum: programmes and sessions as Wagtail pages, their blocks, what each audience may
see of a session (``rendering``), the one outline of a programme (``outline``), the book chapter
base (``chapters``), the reading, trainer, slides and presenter views, the review workflow and
the readable session format (``services``), which ``packages`` imports. It may import only
``kernel``: the features build on it."""
