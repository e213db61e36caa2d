"""Establishments, cohorts, trainees, deliveries and registers, completion and catch-ups, trainer
stages and local delivery readiness, shadowing, certificates, retention and erasure, and who
may set a temporary password for whom (``passwords``). Which
sessions a cohort must attend comes from the outline (``courses.outline``). It may import
``courses``, ``pdf``, ``audit`` and ``kernel``."""
