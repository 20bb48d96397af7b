"""Lattice-matched ZrO2/Li2ZrCl6 interfaces for Study B, built with InterOptimus (paper B's generator).

- :mod:`~ionflow.structures.interfaces.interoptimus`: InterOptimus's lattice matching, with both Miller
  bases and every strain measure, on relaxed or given lattice constants; termination pairs of a match.
- :mod:`~ionflow.structures.interfaces.build`: two-interface cells as tagged ASE Atoms, in-plane size.
- :mod:`~ionflow.structures.interfaces.energy`: ``bulk_energy_per_atom``, interface energy, ``relax_and_rank``,
  ``select_pool``, ``pick_seeds``.
- :mod:`~ionflow.structures.interfaces.pool`: ``pool_candidates``, the training pool's cells of one pair.
- :mod:`~ionflow.structures.interfaces.registration`: ``production_interface``: a paper pair's match, its
  termination pairs and their registration, ranked by interface energy with the reference calculator.

Lengths in Å, areas in Å², strains as fractions, interface energies in J/m².
"""
