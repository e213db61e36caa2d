"""Making a curriculum package, seeing what one would change, and importing it.

An item of a package is a session, a programme, a workbook or trainer book chapter, or a
questionnaire, keyed by its slug or chapter key. Against this install each item is:

- **new**: nothing here has its key;
- **updated**: the package changed it since it was last imported, and nobody changed it here;
- **conflict**: it was changed both here and in the package since the last import (or it was
  never imported and differs): the local version is kept, and the difference shown;
- **unchanged**: the same here, or the package has not changed it since the last import (the
  local edits are kept).

Importing is one transaction. New and updated pages and chapters arrive as new revisions sent
to the Curriculum review workflow, or published at once when an administrator says so; a
publish makes the printed books that contain them out of date, and ``printing``'s publish
signals ask for new editions once the import is committed.
"""

from .content import local_choose, local_plain
from .export import bundled_package, export_package
from .imports import import_package, keep_block_ids
from .plan import (
    CONFLICT,
    KINDS,
    NEW,
    STATUSES,
    UNCHANGED,
    UPDATED,
    Change,
    Plan,
    inspect_package,
)

__all__ = [
    "CONFLICT",
    "KINDS",
    "NEW",
    "STATUSES",
    "UNCHANGED",
    "UPDATED",
    "Change",
    "Plan",
    "bundled_package",
    "export_package",
    "import_package",
    "inspect_package",
    "keep_block_ids",
    "local_choose",
    "local_plain",
]
