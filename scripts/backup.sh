#!/usr/bin/env bash
# make backup [BACKUP_DIR=...]: the database (pg_dump, custom format: tables, PostGIS
# topology schemas, history) and the uploaded files (sign photos) into one folder with
# SHA-256 sums. Restore with scripts/restore.sh (make restore). docs/security.md.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${DATABASE_URL:-postgis:///civatlas}"
url="${url/#postgis:/postgresql:}"          # settings accept postgis://, libpq does not
url="${url/#postgres:/postgresql:}"
media="${CIVATLAS_MEDIA_ROOT:-var/media}"
dir="${1:-${BACKUP_DIR:-var/backups/$(date -u +%Y%m%dT%H%M%SZ)}}"
mkdir -p "$dir"
pg_dump --format=custom --no-owner --no-privileges --file="$dir/db.dump" "$url"
if [ -d "$media" ]; then
  tar -czf "$dir/media.tar.gz" -C "$media" .
else
  tar -czf "$dir/media.tar.gz" -T /dev/null
fi
(cd "$dir" && sha256sum db.dump media.tar.gz > SHA256SUMS)
echo "备份完成（backup written）: $dir"
