"""Care facilities: registry, policy norms, gap analysis, site suggestions (issue 6)."""
