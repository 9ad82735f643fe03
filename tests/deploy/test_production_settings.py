"""Production mode refuses unsafe settings; deployment settings come from the
environment. Each case loads the settings in a fresh interpreter."""

import json
import subprocess
import sys

from . import support

PRINT = (
    "import json, django; from django.conf import settings; django.setup();"
    "from django.core.cache import caches; from django.core.files.storage import storages;"
    "print(json.dumps({'debug': settings.DEBUG,"
    " 'fallbacks': settings.SECRET_KEY_FALLBACKS,"
    " 'cache': type(caches['default']).__name__,"
    " 'cache_location': settings.CACHES['default'].get('LOCATION'),"
    " 'storage': type(storages['default']).__name__,"
    " 'bucket': getattr(storages['default'], 'bucket_name', None),"
    " 'media_root': str(settings.MEDIA_ROOT),"
    " 'sessions': settings.SESSION_ENGINE,"
    " 'middleware': settings.MIDDLEWARE[0]}))"
)


def load(**env):
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        env=support.base_environment(**env),
        cwd=support.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_with_debug_on():
    result = load(DJANGO_PRODUCTION="true", DJANGO_DEBUG="true", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off when DJANGO_PRODUCTION is on" in result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = load(DJANGO_PRODUCTION="true")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_turns_debug_off_by_itself():
    result = load(DJANGO_PRODUCTION="true", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_gunicorn_refuses_to_start_in_production_with_debug_on(tmp_path):
    env = support.base_environment(
        DJANGO_PRODUCTION="true",
        DJANGO_DEBUG="on",
        DJANGO_SECRET_KEY="x" * 60,
        GUNICORN_BIND=f"127.0.0.1:{support.free_port()}",
        GUNICORN_WORKERS="1",
    )
    gunicorn = str(support.Path(sys.executable).with_name("gunicorn"))
    result = subprocess.run(
        [gunicorn, "-c", "deploy/gunicorn.conf.py"],
        env=env,
        cwd=support.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off when DJANGO_PRODUCTION is on" in result.stdout + result.stderr


def test_old_secret_keys_are_accepted_while_a_new_one_rolls_out():
    result = load(DJANGO_SECRET_KEY="new" * 20, DJANGO_SECRET_KEY_FALLBACKS="old1" * 15)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fallbacks"] == ["old1" * 15]


def test_without_redis_each_process_keeps_its_own_cache():
    values = json.loads(load().stdout)
    assert values["cache"] == "LocMemCache"
    assert values["sessions"] == "django.contrib.sessions.backends.db"


def test_redis_url_gives_djangos_redis_cache():
    result = load(REDIS_URL="redis://10.0.0.5:6379/2")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["cache"] == "RedisCache"
    assert values["cache_location"] == "redis://10.0.0.5:6379/2"


def test_uploads_go_to_a_local_folder_or_an_s3_bucket(tmp_path):
    local = json.loads(load(DJANGO_MEDIA_ROOT=str(tmp_path)).stdout)
    assert local["storage"] == "FileSystemStorage"
    assert local["media_root"] == str(tmp_path)
    result = load(DJANGO_S3_BUCKET="jp-uploads", DJANGO_S3_ENDPOINT_URL="https://s3.example.org")
    assert result.returncode == 0, result.stderr
    s3 = json.loads(result.stdout)
    assert s3["storage"] == "S3Storage"
    assert s3["bucket"] == "jp-uploads"


def test_every_request_passes_the_request_log_first():
    values = json.loads(load().stdout)
    assert values["middleware"] == "jointprogramme.middleware.RequestLogMiddleware"
