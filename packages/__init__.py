"""Curriculum packages: programmes, sessions, book chapters, questionnaires and their pictures
in one zip file, made on one install and imported on another (or from the curriculum bundled
with the code, through ``load_curriculum``). No personal data is ever in a package."""
