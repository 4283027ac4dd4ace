"""Stage 1: referrals, the decision to notify, and notifications to the national Panel, Ofsted
and the Secretary of State."""
