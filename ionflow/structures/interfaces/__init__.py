"""Lattice-matched ZrO2/Li2ZrCl6 interfaces for Study B (paper B's InterOptimus step).

- :mod:`~ionflow.structures.interfaces.surfaces`: standard cells, surface cells, terminations, slabs
  (the training pool).
- :mod:`~ionflow.structures.interfaces.interoptimus`: InterOptimus's matches of the production pairs with
  both Miller bases and every strain measure, on relaxed or given lattice constants.
- :mod:`~ionflow.structures.interfaces.lattice_match`: supercell matches, strains, orientation relationships
  (ionflow's own ZSL search, for the training pool).
- :mod:`~ionflow.structures.interfaces.screening`: ``screen_interfaces``, ``screening_table``, ``write_screening_csv``.
- :mod:`~ionflow.structures.interfaces.build`: ``build_interface`` (periodic, two interfaces, ASE Atoms;
  the training pool), ``in_plane_repeat_for_atoms``, ``distinct_interfaces``.
- :mod:`~ionflow.structures.interfaces.registration`: ``production_interface``: InterOptimus's match, its
  termination pairs and their registration, ranked by interface energy with the reference calculator.
- :mod:`~ionflow.structures.interfaces.energy`: ``bulk_energy_per_atom``, ``relax_and_rank``, ``select_pool``,
  ``pick_seeds``.

Lengths in Å, areas in Å², strains as fractions, interface energies in J/m².
"""
