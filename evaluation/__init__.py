"""Questionnaires, responses, participant codes, costs, the cohort report, programme comparison,
scheme health and the anonymised export. Rules in ``services/`` by topic. It may import
``journals``, ``cohorts``, ``courses``, ``pdf``, ``audit`` and ``kernel``."""
