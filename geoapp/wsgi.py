"""WSGI entry point for CivAtlas (gunicorn, mod_wsgi, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")
application = get_wsgi_application()
