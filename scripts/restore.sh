#!/usr/bin/env bash
# make restore BACKUP=DIR [DATABASE_URL=...] [CIVATLAS_MEDIA_ROOT=...]: restore a backup
# of scripts/backup.sh into a FRESH database (created here with a UTF-8 character type,
# as setup does) and the media folder. Refuses a database that already has tables and a
# media folder that is not empty: a restore never mixes two states.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-${BACKUP:-}}"
[ -n "$dir" ] && [ -f "$dir/db.dump" ] || { echo "用法：make restore BACKUP=备份目录（含 db.dump）" >&2; exit 2; }
(cd "$dir" && sha256sum --check --quiet SHA256SUMS) || { echo "备份文件校验失败（SHA256SUMS）" >&2; exit 1; }
url="${DATABASE_URL:-postgis:///civatlas}"
url="${url/#postgis:/postgresql:}"
url="${url/#postgres:/postgresql:}"
name="${url##*/}"; name="${name%%\?*}"
server="${url%/*}/postgres"
media="${CIVATLAS_MEDIA_ROOT:-var/media}"
exists=$(psql "$server" -Atc "select 1 from pg_database where datname = '$name'")
if [ "$exists" = 1 ]; then
  tables=$(psql "$url" -Atc "select count(*) from pg_tables where schemaname = 'public'")
  if [ "$tables" != 0 ]; then echo "数据库 $name 已有数据表：请恢复到新的数据库（DATABASE_URL）" >&2; exit 1; fi
else
  psql "$server" -qc "create database \"$name\" encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8' template template0"
fi
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then echo "媒体目录 $media 非空：请恢复到空目录（CIVATLAS_MEDIA_ROOT）" >&2; exit 1; fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$dir/db.dump"
mkdir -p "$media"
tar -xzf "$dir/media.tar.gz" -C "$media"
echo "恢复完成（restored）: $name, $media"
