"""The live class (issue 12): students answer on their own devices, the projector shows the room's tally; ``store`` keeps it."""
