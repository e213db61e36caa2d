"""The chapters only the Peer Support Workbook carries (how to use it, the role, boundaries,
looking after yourself, the glossary), edited as snippets. The chapter model's base and blocks
are ``courses.chapters`` and ``courses.chapter_blocks``, shared with ``trainer_resources``. It may
import ``courses`` and ``kernel``, never ``trainer_resources``."""
