"""Place names: gazetteer, naming workflow, romanization, signs (issues 4 and 5)."""
