"""The chapters and forms only the Trainer Resource Book carries (train the trainers, the
supervision guide, printable forms), edited as snippets. The chapter model's base and blocks are
``courses.chapters`` and ``courses.chapter_blocks``, shared with ``workbook_content``. It may
import ``courses`` and ``kernel``, never ``workbook_content``."""
