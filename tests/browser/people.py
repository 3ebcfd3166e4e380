"""The people of the journeys: users with a role and a Chinese name, as the office would set them up."""

from tests import factories as f


def person(kind: str, username: str, name: str, **scope):
    """A user with one role (see tests.factories.user_with_role) and a real name shown in the pages."""
    user = f.user_with_role(kind, username, **scope)
    user.first_name = name
    user.save(update_fields=["first_name"])
    return user
