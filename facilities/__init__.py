"""Care facilities: registry, policy norms, gap analysis, site suggestions."""
