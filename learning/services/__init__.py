"""The rules of self-paced learning, by topic: studying a session and answering its checks
(``study``), and what the learner and staff see of it (``overview``). Views, the demo and
commands call these; ``from learning.services import ...`` reaches every one."""

from .overview import (
    CheckFigures,
    CohortLearning,
    MyLearning,
    check_figures,
    cohort_learning,
    my_learning,
)
from .study import (
    LearningError,
    StudyPart,
    may_study,
    note_if_studied,
    own_trainee,
    record_answer,
    record_progress,
    study_parts,
    studyable_programmes,
)

__all__ = [
    "CheckFigures",
    "CohortLearning",
    "LearningError",
    "MyLearning",
    "StudyPart",
    "check_figures",
    "cohort_learning",
    "may_study",
    "my_learning",
    "note_if_studied",
    "own_trainee",
    "record_answer",
    "record_progress",
    "study_parts",
    "studyable_programmes",
]
