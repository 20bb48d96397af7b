"""Stage 1, structures: orderings of partially occupied phases and lattice-matched interfaces."""
