"""Use cases: load rows, apply the domain rules, commit, then publish events.
This package is the only place that commits."""
