"""Joint boundary inspections (联检), markers (界桩), agreements and the peaceful-boundary
register (平安边界): a subpackage of the ``boundaries`` app (docs/adr/0019)."""
