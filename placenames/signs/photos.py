"""Sign photos use the shared field-photo checks of ``geoapp.photos`` (moved there so that
boundary-marker inspections check photos the same way; imports flow geoapp ← boundaries
← placenames)."""

from geoapp.photos import (  # noqa: F401
    FORMATS,
    PhotoError,
    PhotoInfo,
    check_size,
    exif_position,
    exif_time,
    jpeg_with_gps,
    read_photo,
)
