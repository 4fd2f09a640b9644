"""Photos from the field (signs, marker checks): type and size checks, EXIF position, thumbnails.

Phones send the camera's JPEG as taken, EXIF included (the page never re-encodes it,
which would drop the GPS tags the checks compare with the device's fix). Pillow reads
only the header before the size and pixel limits are checked, so an oversized or
decompression-bomb image is refused before it is decoded. No Django models here: the
actions store what ``read_photo`` returns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

# Formats a phone camera or a gallery picker gives (HEIC is converted to JPEG by the
# browser when a file input asks for image/*).
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}

_GPS = ExifTags.IFD.GPSInfo
_EXIF = ExifTags.IFD.Exif


class PhotoError(ValueError):
    """A photo refused: the message says why, in Chinese, for the field team."""


@dataclass(frozen=True)
class PhotoInfo:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str
    thumbnail: bytes  # JPEG
    exif_lon: float | None = None
    exif_lat: float | None = None
    exif_taken_at: dt.datetime | None = None

    @property
    def has_position(self) -> bool:
        return self.exif_lon is not None and self.exif_lat is not None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_size(size: int, *, name: str = "") -> None:
    """Refuse a file larger than ``CIVATLAS_SIGN_PHOTO_MAX_BYTES`` before reading it."""
    limit = settings.CIVATLAS_SIGN_PHOTO_MAX_BYTES
    if size > limit:
        raise PhotoError(f"照片{_label(name)}大小为 {_mb(size)}，超过上限 {_mb(limit)}")
    if size == 0:
        raise PhotoError(f"照片{_label(name)}是空文件")


def _label(name: str) -> str:
    return f"“{name}”" if name else ""


def read_photo(data: bytes, *, name: str = "") -> PhotoInfo:
    """Check one photo and read what the checks and the archive need."""
    check_size(len(data), name=name)
    max_pixels = settings.CIVATLAS_SIGN_PHOTO_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt in FORMATS and width * height <= (
                    max_pixels if fmt == "JPEG" else settings.CIVATLAS_SIGN_PHOTO_MAX_PIXELS_LOSSLESS
                ):
                    probe.verify()  # structure only; the image must be reopened after this
            if fmt != "JPEG":
                # PNG and WebP cannot be decoded at a reduced scale: a smaller pixel limit.
                max_pixels = min(max_pixels, settings.CIVATLAS_SIGN_PHOTO_MAX_PIXELS_LOSSLESS)
            if fmt not in FORMATS:
                raise PhotoError(f"照片{_label(name)}格式为 {fmt or '未知'}，应为 JPEG、PNG 或 WebP")
            if width * height > max_pixels:
                raise PhotoError(f"照片{_label(name)}像素过多（{width}×{height}），请降低相机分辨率")
            with Image.open(io.BytesIO(data)) as image:
                exif = image.getexif()
                thumbnail = _thumbnail(image)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        # Pillow reports a truncated or corrupt file through these; the team retakes the photo.
        raise PhotoError(f"照片{_label(name)}无法识别或已损坏，请重新拍摄") from exc
    lon, lat = exif_position(exif)
    content_type, extension = FORMATS[fmt]
    return PhotoInfo(
        data=data, content_type=content_type, extension=extension, width=width, height=height,
        sha256=hashlib.sha256(data).hexdigest(), thumbnail=thumbnail,
        exif_lon=lon, exif_lat=lat, exif_taken_at=exif_time(exif),
    )


def _thumbnail(image: Image.Image) -> bytes:
    size = settings.CIVATLAS_SIGN_THUMBNAIL_PX
    # JPEG decodes at 1/2, 1/4 or 1/8 scale straight to the thumbnail's size: a 49 MP
    # photo then costs a few MB of memory instead of ~250 MB (docs/security.md, limits).
    image.draft("RGB", (size, size))
    small = ImageOps.exif_transpose(image)  # phones store portrait photos rotated by a tag
    small.thumbnail((size, size))
    if small.mode not in ("RGB", "L"):
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def _degrees(value) -> float:
    """EXIF GPS degrees, minutes, seconds (three rationals) as decimal degrees."""
    d, m, s = (float(v) for v in value)
    return d + m / 60 + s / 3600


def exif_position(exif: Image.Exif) -> tuple[float | None, float | None]:
    """(lon, lat) from the EXIF GPS tags, or (None, None) when absent or unreadable."""
    try:
        gps = exif.get_ifd(_GPS)
    except (KeyError, ValueError, TypeError):
        return None, None
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude])
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if str(gps.get(ExifTags.GPS.GPSLatitudeRef, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(ExifTags.GPS.GPSLongitudeRef, "E")).upper().startswith("W"):
        lon = -lon
    if (lon == 0 and lat == 0) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None, None  # cameras write 0,0 when they had no fix
    return lon, lat


def exif_time(exif: Image.Exif) -> dt.datetime | None:
    """DateTimeOriginal (the camera's local time, taken as the server's time zone)."""
    try:
        raw = exif.get_ifd(_EXIF).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    except (KeyError, ValueError, TypeError):
        return None
    if not raw:
        return None
    try:
        naive = dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive)


def jpeg_with_gps(lon: float | None, lat: float | None, *, size=(640, 400), colour=(31, 95, 168),
                  taken: dt.datetime | None = None) -> bytes:
    """A JPEG with EXIF GPS tags, for tests and the synthetic demo records (a blue plate
    with white bars, standing in for a photo of a sign)."""
    from PIL import ImageDraw

    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([w * 0.15, h * 0.3, w * 0.85, h * 0.45], fill=(255, 255, 255))
    draw.rectangle([w * 0.25, h * 0.6, w * 0.75, h * 0.68], fill=(255, 255, 255))
    exif = Image.Exif()
    if lon is not None and lat is not None:
        gps = exif.get_ifd(_GPS)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        gps[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    if taken is not None:
        exif.get_ifd(_EXIF)[ExifTags.Base.DateTimeOriginal] = timezone.localtime(taken).strftime("%Y:%m:%d %H:%M:%S")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, exif=exif)
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    s = round((value - d - m / 60) * 3600, 4)
    return (float(d), float(m), s)
