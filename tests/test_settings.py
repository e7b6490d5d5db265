"""Settings come from the environment; production mode passes Django's deployment checks."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env={**environ, **env}, capture_output=True, text=True
    )


def test_production_mode_passes_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        NEWSARCHIVE_PRODUCTION="1",
        SECRET_KEY="x" * 60 + "-a-long-random-production-key",
        NEWSARCHIVE_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", [None, "", "short-key"])
def test_production_mode_refuses_the_development_key_and_weak_ones(tmp_path, key):
    env = {"NEWSARCHIVE_PRODUCTION": "1", "NEWSARCHIVE_DATA_DIR": str(tmp_path)}
    if key is not None:
        env["SECRET_KEY"] = key
    result = run_manage("check", **env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_mode_refuses_debug(tmp_path):
    key = "x" * 60 + "-a-long-random-production-key"
    env = {"NEWSARCHIVE_PRODUCTION": "1", "SECRET_KEY": key, "NEWSARCHIVE_DATA_DIR": str(tmp_path)}
    result = run_manage("check", DEBUG="1", **env)
    assert result.returncode != 0 and "DEBUG=1 shows settings" in result.stderr
    assert run_manage("check", DEBUG="0", **env).returncode == 0


def test_data_dir_holds_database_and_index(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME']);"
        "print(settings.HAYSTACK_CONNECTIONS['default']['PATH'])",
        NEWSARCHIVE_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.split() == [str(tmp_path / "newsarchive.sqlite3"), str(tmp_path / "whoosh")]


def test_database_url_switches_to_postgresql(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        NEWSARCHIVE_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/newsarchive",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_the_bulk_writers_memory_comes_from_the_environment(tmp_path):
    show = "from haystack import connections; print(connections['default'].get_backend().bulk_writer_mb)"
    default = run_manage("shell", "--no-imports", "-c", show, NEWSARCHIVE_DATA_DIR=str(tmp_path))
    chosen = run_manage(
        "shell", "--no-imports", "-c", show, NEWSARCHIVE_DATA_DIR=str(tmp_path), WHOOSH_BULK_WRITER_MB="200"
    )
    assert (default.stdout.strip(), chosen.stdout.strip()) == ("96", "200")


def test_the_story_index_file_comes_from_the_environment(tmp_path):
    show = "from django.conf import settings; print(repr(settings.STORY_INDEX_FILE))"
    default = run_manage("shell", "--no-imports", "-c", show, NEWSARCHIVE_DATA_DIR=str(tmp_path))
    chosen = run_manage(
        "shell", "--no-imports", "-c", show, NEWSARCHIVE_DATA_DIR=str(tmp_path), STORY_INDEX_FILE=""
    )
    assert default.stdout.strip() == repr(str(tmp_path / "story-index.pickle"))
    assert chosen.stdout.strip() == "''", "empty: never saved"


def test_the_login_throttle_comes_from_the_environment(tmp_path):
    show = (
        "from django.conf import settings; print(settings.AXES_FAILURE_LIMIT, "
        "int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), settings.NEWSARCHIVE_TRUSTED_PROXY_COUNT)"
    )
    env = {"NEWSARCHIVE_DATA_DIR": str(tmp_path)}
    default = run_manage("shell", "--no-imports", "-c", show, **env)
    chosen = run_manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_MINUTES="60",
        TRUSTED_PROXY_COUNT="1",
        **env,
    )
    assert (default.stdout.split(), chosen.stdout.split()) == (["5", "15", "0"], ["10", "60", "1"])
    wrong = run_manage("check", AXES_FAILURE_LIMIT="0", **env)
    assert wrong.returncode != 0 and "AXES_FAILURE_LIMIT must be a whole number of at least 1" in wrong.stderr
