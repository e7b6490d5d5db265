"""WSGI entry point, served by gunicorn: ``gunicorn newsarchive.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
application = get_wsgi_application()
