"""Graph analysis on links between nodes: key-player ranking, its sensitivity, and phases.

Pure: igraph and the standard library only, no database, no I/O framework. The entry points
are `rank.rank` (one network), `change.sensitivity` (the ranking when weak links are dropped)
and `phase.rank_phases` (one ranking per phase, with risers, fallers and changes of leader).
"""
