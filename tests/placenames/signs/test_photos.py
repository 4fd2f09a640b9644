"""Photos from the field (placenames.signs.photos): type and size, EXIF GPS and time,
thumbnails. Plain Pillow, no database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from placenames.signs.photos import PhotoError, jpeg_with_gps, read_photo


def test_exif_position_and_time_are_read():
    taken = dt.datetime(2024, 5, 1, 10, 30, tzinfo=dt.UTC)
    info = read_photo(jpeg_with_gps(106.0305904, 34.8929912, taken=taken))
    assert abs(info.exif_lon - 106.0305904) < 1e-6 and abs(info.exif_lat - 34.8929912) < 1e-6
    assert info.exif_taken_at == taken
    assert info.content_type == "image/jpeg" and (info.width, info.height) == (640, 400)


def test_southern_and_western_positions_are_negative():
    info = read_photo(jpeg_with_gps(-70.5, -33.25))
    assert abs(info.exif_lon + 70.5) < 1e-6 and abs(info.exif_lat + 33.25) < 1e-6


def test_a_photo_without_gps_has_no_position():
    info = read_photo(jpeg_with_gps(None, None))
    assert not info.has_position and info.exif_taken_at is None


def test_the_thumbnail_is_a_small_jpeg(settings):
    settings.CIVATLAS_SIGN_THUMBNAIL_PX = 100
    info = read_photo(jpeg_with_gps(106.0, 34.9))
    with Image.open(io.BytesIO(info.thumbnail)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 100


def test_png_is_accepted_and_gif_is_not():
    for fmt, ok in (("PNG", True), ("GIF", False)):
        out = io.BytesIO()
        Image.new("RGB", (50, 40), (0, 80, 160)).save(out, fmt)
        if ok:
            assert read_photo(out.getvalue()).content_type == "image/png"
        else:
            with pytest.raises(PhotoError, match="格式为 GIF"):
                read_photo(out.getvalue(), name="a.gif")


def test_size_and_pixel_limits_are_settings(settings):
    data = jpeg_with_gps(106.0, 34.9)
    settings.CIVATLAS_SIGN_PHOTO_MAX_BYTES = len(data) - 1
    with pytest.raises(PhotoError, match="超过上限"):
        read_photo(data)
    settings.CIVATLAS_SIGN_PHOTO_MAX_BYTES = 10 * len(data)
    settings.CIVATLAS_SIGN_PHOTO_MAX_PIXELS = 1000
    with pytest.raises(PhotoError, match="像素过多"):
        read_photo(data)


def test_a_truncated_file_is_refused():
    data = jpeg_with_gps(106.0, 34.9)
    with pytest.raises(PhotoError, match="无法识别或已损坏"):
        read_photo(data[:200], name="cut.jpg")
