"""Place names: gazetteer, naming workflow, romanization, signs."""
