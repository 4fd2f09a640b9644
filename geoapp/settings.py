"""CivAtlas settings: one module, every deployment knob read from the environment.

Variables (all optional in development):

* ``DATABASE_URL`` — PostGIS database, default ``postgis:///civatlas`` (local socket).
* ``CIVATLAS_SECRET_KEY``, ``CIVATLAS_DEBUG`` (off unless explicitly turned on),
  ``CIVATLAS_ALLOWED_HOSTS``; without a secret key one is generated once into
  ``var/secret_key`` (mode 600), never a fixed default.
* Security (docs/security.md lists the production environment): ``CIVATLAS_SECURE_COOKIES``,
  ``CIVATLAS_SSL_REDIRECT``, ``CIVATLAS_HSTS_SECONDS``, ``CIVATLAS_HSTS_PRELOAD``,
  ``CIVATLAS_PROXY_SSL_HEADER``, ``CIVATLAS_CSRF_TRUSTED_ORIGINS``, ``CIVATLAS_AXES_*``
  (login throttling), ``CIVATLAS_MAX_*`` (upload and import limits, below).
* ``CIVATLAS_BASEMAPS`` — JSON list of tile layers ``{"name", "url", "attribution",
  "max_zoom", "subdomains"}``, e.g. an intranet tile server. Empty by default: the map
  then draws on a plain background (government intranets have no internet).
* ``TIANDITU_KEY`` — adds the Tianditu vector + label layers (Web Mercator ``_w``).
* ``CIVATLAS_HOME_DIVISION`` — the division the map opens on for visitors.
* ``CIVATLAS_MEDIA_ROOT`` — uploaded files (sign photos), default ``var/media``.
* ``CIVATLAS_STATIC_ROOT`` — where collectstatic puts the files whitenoise serves, default
  ``var/static`` (a benchmark collects into a directory of its own).
* ``CIVATLAS_SIGN_*`` — thresholds of the sign field checks and photo limits (below).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from geoapp.env import env_bool, env_float, env_int, env_json, env_list, env_str, generated_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

# Production defaults are safe: DEBUG (tracebacks, settings, URL lists) only when asked for.
DEBUG = env_bool("CIVATLAS_DEBUG", default=False)
SECRET_KEY = env_str("CIVATLAS_SECRET_KEY") or generated_secret_key(BASE_DIR / "var" / "secret_key")
ALLOWED_HOSTS = env_list("CIVATLAS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "leaflet",
    "simple_history",
    "axes",
    "geoapp",
    "boundaries",
    "placenames",
    "facilities",
    "geoapp.tiles",  # vector tiles
    "gisserver",  # WFS 2.0
    "geoapp.ows",
    "geoapp.jobs",  # long jobs on Celery workers
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under gunicorn
    "geoapp.middleware.ContentSecurityPolicyMiddleware",
    "geoapp.middleware.RequestSizeLimitMiddleware",
    "geoapp.middleware.RefuseNulBytesMiddleware",
    "django.middleware.gzip.GZipMiddleware",  # JSON/GeoJSON APIs compressed
    "django.contrib.sessions.middleware.SessionMiddleware",
    "geoapp.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETag + 304 for every GET
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out logins (docs/security.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "geoapp.urls"
WSGI_APPLICATION = "geoapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "geoapp.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgis:///civatlas"), engine="django.contrib.gis.db.backends.postgis"
    )
}
# No JIT compilation: on the national gazetteer a search or name check crosses the
# planner's jit_above_cost and spent ~35 ms compiling to save a few (bench/bench_search.py).
# No parallel workers for a query either: starting them took ~15 ms for a 2 ms search
# ("x" among the counties and townships), and on a small server concurrent users already
# use every core (ADR 0035). Index builds keep theirs (max_parallel_maintenance_workers).
DB_SESSION_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", DB_SESSION_OPTIONS)
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    # dj-database-url maps postgres:// to the plain backend; CivAtlas needs PostGIS.
    DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# Test databases are cloned from a template that setup creates with a UTF-8 character
# type and the extensions (pg_trgm sees no Chinese under LC_CTYPE=C; DESIGN.md).
DATABASES["default"]["TEST"] = {
    "TEMPLATE": env_str("CIVATLAS_TEST_TEMPLATE", "civatlas_template") or None,
    # Separate names let two test runs share one server (e.g. a developer and CI).
    "NAME": env_str("CIVATLAS_TEST_DB") or None,
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "geoapp.User"
LOGIN_URL = "login"
# A failed CSRF check answers in the site's language and layout (geoapp/errors.py).
CSRF_FAILURE_VIEW = "geoapp.errors.csrf_failure"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account/address before the password is even checked.
    "geoapp.auth.LoginThrottleBackend",  # django-axes; steps aside without an HTTP request
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

# Chinese first (brief: "Chinese first"); English switchable through /i18n/setlang/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "geoapp" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("CIVATLAS_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# whitenoise serves the collected files gzipped (make serve runs collectstatic).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("CIVATLAS_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# --- place-name signs (placenames.signs): field checks and photos ---------------------
# Every threshold is a deployment choice, not a rule of GB 17733: defaults in README.
CIVATLAS_SIGN_MAX_ACCURACY_M = env_int("CIVATLAS_SIGN_MAX_ACCURACY_M", 30)  # refuse a worse GPS fix
CIVATLAS_SIGN_MAX_OFFSET_M = env_int("CIVATLAS_SIGN_MAX_OFFSET_M", 200)  # from the planned point
CIVATLAS_SIGN_PHOTO_OFFSET_M = env_int("CIVATLAS_SIGN_PHOTO_OFFSET_M", 500)  # EXIF vs fix: flag only
CIVATLAS_SIGN_DUPLICATE_M = env_int("CIVATLAS_SIGN_DUPLICATE_M", 100)  # same type, same place
CIVATLAS_SIGN_INSPECTION_DAYS = env_int("CIVATLAS_SIGN_INSPECTION_DAYS", 365)  # inspection reminders
# Divisions whose children this database holds only in part, on purpose: check_register
# does not expect those children to tile them (it says so). The demo holds one
# prefecture of each of its three provinces (data/shapefiles/README.md).
CIVATLAS_REGISTER_PARTIAL_PARENTS = env_list(
    "CIVATLAS_REGISTER_PARTIAL_PARENTS", ["370000000000", "620000000000", "640000000000"]
)
CIVATLAS_SIGN_PHOTO_MAX_BYTES = env_int("CIVATLAS_SIGN_PHOTO_MAX_BYTES", 15 * 1024 * 1024)
CIVATLAS_SIGN_PHOTO_MAX_PIXELS = env_int("CIVATLAS_SIGN_PHOTO_MAX_PIXELS", 50_000_000)  # JPEG (decoded scaled)
CIVATLAS_SIGN_PHOTO_MAX_PIXELS_LOSSLESS = env_int("CIVATLAS_SIGN_PHOTO_MAX_PIXELS_LOSSLESS", 16_000_000)  # PNG/WebP
CIVATLAS_SIGN_THUMBNAIL_PX = env_int("CIVATLAS_SIGN_THUMBNAIL_PX", 480)

# --- joint boundary inspections (boundaries.inspections) -----------------------------
# 《行政区域界线管理条例》第十二条: every 5 years. The rest are deployment choices (README).
CIVATLAS_INSPECTION_CYCLE_YEARS = env_int("CIVATLAS_INSPECTION_CYCLE_YEARS", 5)
CIVATLAS_INSPECTION_WALK_TOLERANCE_M = env_int("CIVATLAS_INSPECTION_WALK_TOLERANCE_M", 50)  # track → "walked"
CIVATLAS_MARKER_MAX_ACCURACY_M = env_int("CIVATLAS_MARKER_MAX_ACCURACY_M", 30)  # refuse a worse GPS fix
CIVATLAS_MARKER_DISPLACED_M = env_int("CIVATLAS_MARKER_DISPLACED_M", 10)  # "intact" further than this: flagged
# Marker number prefix per province (first two code digits) or "default" (GB/T 17796; verify locally).
CIVATLAS_MARKER_PREFIX_FORMATS = env_json("CIVATLAS_MARKER_PREFIX_FORMATS", {"default": "{left_abbr}{right_abbr}"})
CIVATLAS_MARKER_STALE_DAYS = env_int("CIVATLAS_MARKER_STALE_DAYS", 3)  # smart marker without a reading
CIVATLAS_MQTT_HOST = env_str("CIVATLAS_MQTT_HOST", "127.0.0.1")
CIVATLAS_MQTT_PORT = env_int("CIVATLAS_MQTT_PORT", 1883)
CIVATLAS_MQTT_TOPIC = env_str("CIVATLAS_MQTT_TOPIC", "civatlas/markers/+/telemetry")

# --- maps -------------------------------------------------------------------------
def _basemaps() -> list[dict]:
    layers = env_json("CIVATLAS_BASEMAPS", [])
    if not isinstance(layers, list) or not all(isinstance(x, dict) and "url" in x for x in layers):
        raise ImproperlyConfigured("CIVATLAS_BASEMAPS must be a JSON list of objects with a 'url'")
    key = env_str("TIANDITU_KEY")
    if key:
        # Tianditu WMTS in the Web Mercator grid (_w), vector + labels (DOMAIN.md §8).
        for layer, label in (("vec", "天地图矢量"), ("cva", "天地图注记")):
            layers.append(
                {
                    "name": label,
                    "url": f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
                    f"&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
                    f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}",
                    "subdomains": "01234567",
                    "attribution": "天地图 GS(2024)0650号",
                    "max_zoom": 18,
                    "overlay": layer == "cva",
                }
            )
    return layers


CIVATLAS_BASEMAPS = _basemaps()
CIVATLAS_HOME_DIVISION = env_str("CIVATLAS_HOME_DIVISION", "620500000000")

LEAFLET_CONFIG = {
    # No default tiles: django-leaflet would otherwise add an OpenStreetMap layer
    # from the internet. Base maps come from CIVATLAS_BASEMAPS only.
    "TILES": [],
    "DEFAULT_CENTER": (34.6, 105.7),
    "DEFAULT_ZOOM": 8,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "ATTRIBUTION_PREFIX": "CivAtlas",
    "RESET_VIEW": False,
}

# gis.W001: Debian 12's GDAL 3.6 cannot block network access from spatial references.
# Uploaded files are only read after safe extraction into a private temporary directory
# and government intranets have no outside network; upgrading GDAL removes the warning.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- security (docs/security.md; ``manage.py check --deploy`` is clean under the
# production environment documented there, tests/geoapp/test_deploy_settings.py) -------
SECURE_COOKIES = env_bool("CIVATLAS_SECURE_COOKIES", default=False)  # on behind HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("CIVATLAS_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("CIVATLAS_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CIVATLAS_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("CIVATLAS_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("CIVATLAS_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that sets the header itself (nginx: proxy_set_header X-Forwarded-Proto $scheme).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CIVATLAS_CSRF_TRUSTED_ORIGINS", [])
# Content-Security-Policy (geoapp.middleware): every script, style, font and image is our
# own; base maps are allowed by the origins of CIVATLAS_BASEMAPS. Inline style attributes
# stay allowed (Leaflet and a few templates set them); inline scripts never.
CIVATLAS_CSP = env_str("CIVATLAS_CSP") or None  # a full policy string overrides the built one

# Login throttling per account and address (django-axes): after CIVATLAS_AXES_FAILURES
# wrong passwords for one username from one address, both are locked for the cool-off.
AXES_FAILURE_LIMIT = env_int("CIVATLAS_AXES_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("CIVATLAS_AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("CIVATLAS_AXES_PROXY_COUNT", 0)  # proxies in front (X-Forwarded-For)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- request and import limits (docs/security.md "Limits"): checked while streaming -----
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("CIVATLAS_MAX_BODY_BYTES", 2 * 1024 * 1024)  # non-file bodies
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # bigger uploads spool to a temporary file
CIVATLAS_MAX_UPLOAD_BYTES = env_int("CIVATLAS_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)  # one request's files
CIVATLAS_MAX_IMPORT_ROWS = env_int("CIVATLAS_MAX_IMPORT_ROWS", 5_000)  # rows of one web import (~30 s)
CIVATLAS_MAX_IMPORT_BYTES = env_int("CIVATLAS_MAX_IMPORT_BYTES", 10 * 1024 * 1024)  # one import file
CIVATLAS_IMPORT_PARENT_TOLERANCE_M = env_int("CIVATLAS_IMPORT_PARENT_TOLERANCE_M", 100)  # seat outside parent
CIVATLAS_IMPORT_PARENT_TOLERANCE_PCT = env_float("CIVATLAS_IMPORT_PARENT_TOLERANCE_PCT", 0.5)  # area share
CIVATLAS_MAX_JSON_DEPTH = env_int("CIVATLAS_MAX_JSON_DEPTH", 20)
CIVATLAS_SIGN_MAX_PHOTOS = env_int("CIVATLAS_SIGN_MAX_PHOTOS", 6)  # per installation or inspection
SIMPLE_HISTORY_REVERT_DISABLED = True  # records of legal weight change through their actions

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- serving at scale (docs/scaling.md) --------------------------------------
# Redis for the tile cache and the task queue; empty disables the tile cache.
CIVATLAS_REDIS_URL = env_str("CIVATLAS_REDIS_URL", "redis://127.0.0.1:6379/0")
GISSERVER_DEFAULT_MAX_PAGE_SIZE = env_int("CIVATLAS_WFS_MAX_PAGE_SIZE", 5000)
# Task queue (docs/adr/0025): Celery on the same Redis; see jobs/celery.py for the
# delivery settings that let a job survive a killed worker.
CIVATLAS_JOB_QUEUE = env_str("CIVATLAS_JOB_QUEUE", "civatlas")
CELERY_BROKER_URL = env_str("CIVATLAS_BROKER_URL", CIVATLAS_REDIS_URL or "redis://127.0.0.1:6379/0")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CIVATLAS_JOB_VISIBILITY_TIMEOUT", 3600)}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = CIVATLAS_JOB_QUEUE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Persistent connections under gunicorn (make serve sets 60 s): a new PostgreSQL
# connection per request costs more than most tiles.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CIVATLAS_DB_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for maps and search (docs/scaling.md): reads go there, writes never.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), engine="django.contrib.gis.db.backends.postgis"
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", DB_SESSION_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASE_ROUTERS = ["geoapp.db_router.ReplicaRouter"]
