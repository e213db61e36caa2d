"""People for the journal tests (the places are in tests/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts.models import StaffProfile
from kernel import roles


@pytest.fixture
def make_user(db):
    """``make_user(username, role, establishment=None)``: another account with a role, as
    staff of ``establishment`` when one is given."""

    def make(username, role=roles.LOCAL_TRAINER, establishment=None, name=""):
        first, _, last = name.partition(" ")
        user = get_user_model().objects.create_user(
            username, password="x", first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get(name=role))
        if establishment is not None:
            profile = StaffProfile.objects.create(user=user, discipline="nurse")
            profile.establishments.add(establishment)
        return user

    return make
