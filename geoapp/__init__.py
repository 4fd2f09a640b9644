"""CivAtlas core: settings, auth, roles and jurisdiction, the map workspace, GIS helpers."""
