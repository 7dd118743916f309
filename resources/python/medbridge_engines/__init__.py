"""MedBridge's Python side of engine jobs (TRL, verl, EasyR1): the shared answer rule and the rewards built on it."""
