"""Apply: turn accepted rows into the state of participants (and, later, of pairs)."""
