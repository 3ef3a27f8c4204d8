"""Pages for disagreements: the staff record of mediation, appeals, orders and complaints, the
family's view of where their disagreement stands, and the managers' figures (spec section 4)."""
