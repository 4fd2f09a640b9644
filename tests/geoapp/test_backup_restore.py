"""``make backup`` / ``make restore`` round trip: the test database with the
demo (committed at session start), plus a media folder, is backed up by
scripts/backup.sh, restored by scripts/restore.sh into a fresh database and an empty
folder, and compared: the row count of every model's table, a checksum of every
geometry column (EWKB in key order), the PostGIS topologies' edges, and the files."""

from __future__ import annotations

import hashlib
import os
import subprocess

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.db import connection

ROOT = settings.BASE_DIR


def _url(name: str) -> str:
    return f"postgresql:///{name}"


def _fingerprint(name: str) -> dict:
    facts = {}
    with psycopg.connect(_url(name)) as conn, conn.cursor() as cur:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cur.execute(f'select count(*) from "{table}"')  # noqa: S608 (our own table names)
            facts[table] = cur.fetchone()[0]
            for field in model._meta.fields:
                if isinstance(field, GeometryField):
                    pk = model._meta.pk.column
                    cur.execute(f'select md5(coalesce(string_agg(encode(ST_AsEWKB("{field.column}"), \'hex\'), \',\' '
                                f'order by "{pk}"), \'\')) from "{table}"')
                    facts[f"{table}.{field.column}"] = cur.fetchone()[0]
        cur.execute("select name from topology.topology order by name")
        for (topology,) in cur.fetchall():
            cur.execute(f'select count(*), md5(coalesce(string_agg(ST_AsEWKB(geom)::text, \',\' order by edge_id), \'\')) '
                        f'from "{topology}".edge_data')
            facts[f"topology {topology}"] = cur.fetchone()
    return facts


def _files(folder) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def _run(script: str, *args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", f"scripts/{script}", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=600)


def _drop(name: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.mark.django_db
def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_geometries(tmp_path, demo_data):
    source = connection.settings_dict["NAME"]
    target = f"{source}_restore"
    _drop(target)
    media = tmp_path / "media"
    (media / "signs" / "2026").mkdir(parents=True)
    (media / "signs" / "2026" / "photo.jpg").write_bytes(os.urandom(2048))
    backup = tmp_path / "backup"
    made = _run("backup.sh", str(backup), env={"DATABASE_URL": _url(source), "CIVATLAS_MEDIA_ROOT": str(media)})
    assert made.returncode == 0, made.stderr
    restored_media = tmp_path / "restored-media"
    try:
        restored = _run("restore.sh", str(backup),
                        env={"DATABASE_URL": _url(target), "CIVATLAS_MEDIA_ROOT": str(restored_media)})
        assert restored.returncode == 0, restored.stderr
        before, after = _fingerprint(source), _fingerprint(target)
        assert before["boundaries_division"] > 7000  # the demo is in it
        assert after == before
        assert _files(restored_media) == _files(media)
        # A second restore into the now non-empty database is refused, not mixed in.
        again = _run("restore.sh", str(backup), env={"DATABASE_URL": _url(target),
                                                     "CIVATLAS_MEDIA_ROOT": str(tmp_path / "other")})
        assert again.returncode != 0 and "已有数据表" in again.stderr
    finally:
        _drop(target)


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "db.dump").write_bytes(b"not a dump")
    (backup / "media.tar.gz").write_bytes(b"")
    (backup / "SHA256SUMS").write_text("0" * 64 + "  db.dump\n" + "0" * 64 + "  media.tar.gz\n")
    result = _run("restore.sh", str(backup), env={"DATABASE_URL": _url("civatlas_never_created"),
                                                  "CIVATLAS_MEDIA_ROOT": str(tmp_path / "m")})
    assert result.returncode != 0 and "校验失败" in result.stderr
    assert not (tmp_path / "m").exists()
