"""Hostile zip archives are refused before anything is written."""

import io
import zipfile

import pytest

from geoapp.safezip import UnsafeArchive, safe_extract


def make_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def test_an_honest_archive_is_extracted(tmp_path):
    archive = make_zip(tmp_path / "ok.zip", [("a/x.shp", b"1"), ("a/x.dbf", b"2")])
    out = safe_extract(archive, tmp_path / "out")
    assert sorted(p.name for p in out) == ["x.dbf", "x.shp"]


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "C:/evil.txt"])
def test_path_traversal_is_refused_and_nothing_written(tmp_path, name):
    archive = make_zip(tmp_path / "bad.zip", [("ok.txt", b"fine"), (name, b"pwned")])
    with pytest.raises(UnsafeArchive):
        safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.txt").exists()


def test_a_zip_bomb_is_refused(tmp_path):
    archive = make_zip(tmp_path / "bomb.zip", [("big.shp", b"\0" * 50_000_000)])
    with pytest.raises(UnsafeArchive, match="压缩"):
        safe_extract(archive, tmp_path / "out")


def test_a_symlink_member_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    (tmp_path / "link.zip").write_bytes(buf.getvalue())
    with pytest.raises(UnsafeArchive, match="符号链接"):
        safe_extract(tmp_path / "link.zip", tmp_path / "out")


def test_a_file_that_is_not_a_zip_gets_a_clear_error(tmp_path):
    (tmp_path / "fake.zip").write_bytes(b"not a zip at all")
    with pytest.raises(UnsafeArchive, match="zip"):
        safe_extract(tmp_path / "fake.zip", tmp_path / "out")
