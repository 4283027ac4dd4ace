"""Stage 2: the rapid review, the criteria, the decision, partner sign-off and the national
Panel's reply."""
