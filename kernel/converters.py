"""The ``id`` path converter, used by every URL of the site that carries a database id, and
the form fields that choose a record by id."""

from django import forms
from django.core.exceptions import ValidationError

# The largest id any backend stores (a signed 64-bit integer: SQLite's INTEGER, PostgreSQL's
# bigint). A longer number in a URL would overflow the database driver instead of matching
# nothing, so it is no match at all: a 404.
LARGEST_ID = 2**63 - 1


class IdConverter:
    """A positive whole number of ASCII digits that a database id could be."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= LARGEST_ID:
            raise ValueError(f"{value} cannot be an id")  # the resolver answers 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def parse_id(value) -> int | None:
    """An id sent in a query string or a form field, or None when it cannot be one."""
    value = str(value or "")
    if len(value) > 19 or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None


class IdChoiceField(forms.ModelChoiceField):
    """A record chosen by id in a form: a value that cannot be an id is the field's "not one
    of the choices" error, never a query that overflows the database driver. (A record chosen
    by another field, ``to_field_name``, is looked up as Django does.)"""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.to_field_name is None and parse_id(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same for several records chosen by id."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else [value]:
            if self.to_field_name is None and parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
