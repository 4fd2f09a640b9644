"""Rural place-name signs (乡村地名标志): plans, field records, photos, progress.

A subpackage of the gazetteer app, not an app of its own (docs/adr/0027): its tables keep
the ``placenames`` label, and a sign's text is a place name's standard form, so a
renaming reaches the signs inside one app's transaction.
"""
