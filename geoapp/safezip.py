"""Extract uploaded zip archives (zipped shapefiles) without trusting them.

A hostile archive can try path traversal (``../../etc/passwd``, absolute paths),
symlinks, a zip bomb (tiny archive, huge content) or thousands of members. Every
member is checked before anything is written, and extraction streams with a running
byte budget, so a lying header cannot exceed the limit either.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 200
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, per member (zip-bomb guard)


class UnsafeArchive(ValueError):
    """The archive is malformed or tries something an honest upload never does."""


def _check_member(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or (path.parts and path.parts[0].endswith(":")):
        raise UnsafeArchive(f"压缩包中的路径不安全：{info.filename}")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeArchive(f"压缩包中含有符号链接：{info.filename}")
    if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO and info.file_size > 1_000_000:
        raise UnsafeArchive(f"压缩比异常（疑似压缩炸弹）：{info.filename}")
    return path


def safe_extract(archive: str | Path, dest: str | Path) -> list[Path]:
    """Extract ``archive`` into ``dest`` after checking every member; return the files."""
    dest = Path(dest).resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise UnsafeArchive(f"压缩包文件过多（{len(infos)} 个，上限 {MAX_MEMBERS}）")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_TOTAL_BYTES:
                raise UnsafeArchive(f"压缩包解压后过大（{declared} 字节）")
            paths = [(_check_member(i), i) for i in infos]
            written = 0
            out = []
            for rel, info in paths:
                target = (dest / rel).resolve()
                if dest not in target.parents:
                    raise UnsafeArchive(f"压缩包中的路径不安全：{info.filename}")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > MAX_TOTAL_BYTES:
                            raise UnsafeArchive("压缩包解压后超过大小上限")
                        dst.write(chunk)
                out.append(target)
            return out
    except zipfile.BadZipFile as exc:
        raise UnsafeArchive(f"不是有效的 zip 文件：{exc}") from exc
