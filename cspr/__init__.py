"""Stage 3: local child safeguarding practice reviews, from terms of reference to publication,
learning briefings and action plans."""
