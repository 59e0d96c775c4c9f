import pytest
from django.core.management import call_command

from relations.management.commands.bootstrap import fixture_files


@pytest.fixture
def article(db):
    """The article's records, loaded from fixtures/ as `make run` loads them."""
    call_command("loaddata", *fixture_files(), verbosity=0)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")
    client.force_login(user)
    return client
