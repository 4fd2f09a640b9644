"""System checks that explain a broken GIS stack in words a new user understands."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.utils import DatabaseError

REQUIRED_EXTENSIONS = {
    "postgis": "apt-get install postgresql-15-postgis-3 (or the package for your PostgreSQL version)",
    "postgis_topology": "it ships with postgresql-15-postgis-3; run `make setup` to create it",
    "pg_trgm": "it ships with PostgreSQL (postgresql-contrib); run `make setup` to create it",
}


@register(Tags.compatibility)
def check_gdal(app_configs, **kwargs):
    try:
        from django.contrib.gis import gdal

        gdal.gdal_version()
    except (ImproperlyConfigured, OSError) as exc:  # the library is missing or unloadable
        return [
            Error(
                f"GDAL cannot be loaded ({exc}).",
                hint="Install it: apt-get install gdal-bin libgdal32 (or run `make setup`).",
                id="civatlas.E001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def check_extensions(app_configs, databases=None, **kwargs):
    """Report missing PostgreSQL extensions (run with `manage.py check --database default`)."""
    errors = []
    for alias in databases or []:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT extname FROM pg_extension")
                present = {row[0] for row in cursor.fetchall()}
        except DatabaseError as exc:
            errors.append(Error(f"Database '{alias}' is unreachable: {exc}", id="civatlas.E002"))
            continue
        for ext, hint in REQUIRED_EXTENSIONS.items():
            if ext not in present:
                errors.append(
                    Error(f"The PostgreSQL extension '{ext}' is missing in database '{alias}'.", hint=hint, id="civatlas.E003")
                )
    return errors
