"""Reading: documents -> cited records (text, readers, text shape, the meeting, moves, exchanges, layouts)."""
