"""`manage.py migrate` as the owner role when DATABASE_MIGRATE_URL is set (audit/db_roles.py).

Django's own command, connected with the owner's credentials for its run (the database name
stays the connection's, so the test runner's test database is migrated the same way), followed
by the grants to the application's role: the user of DATABASE_URL.
"""

import environ
from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections

from audit.db_roles import application_role_grant

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


class Command(MigrateCommand):
    def handle(self, *args, **options):
        owner_url = getattr(settings, "DATABASE_MIGRATE_URL", "")
        if not owner_url or options["database"] != DEFAULT_DB_ALIAS:
            return super().handle(*args, **options)
        connection = connections[DEFAULT_DB_ALIAS]
        owner = environ.Env.db_url_config(owner_url)
        saved = {key: connection.settings_dict.get(key) for key in CREDENTIALS}
        application_role = saved["USER"]
        connection.close()
        connection.settings_dict.update({key: owner.get(key, "") for key in CREDENTIALS})
        try:
            super().handle(*args, **options)
            if application_role and application_role != owner.get("USER"):
                application_role_grant(connection, role=application_role)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Granted the application role {application_role!r}.")
        finally:
            connection.close()
            connection.settings_dict.update(saved)
