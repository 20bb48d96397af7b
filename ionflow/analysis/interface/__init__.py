"""Study B interface analyses of ZrO2|Li2ZrCl6 slab trajectories (paper 2, Figs. 3-5, S5, S7-S14).

The interface normal is z; the cell is periodic in z and holds one ZrO2 slab and one
Li2ZrCl6 slab, hence two interfaces. Every analysis streams ``ase.Atoms`` frames (wrapped or
unwrapped positions) and returns numpy arrays; positions in Å, volumes in Å³.

- ``slab``: z period, z bins, interface positions and distance to the nearest interface.
- ``neighbours``: anion neighbours of Li within a cutoff (periodic k-d trees).
- ``profiles``: Li coordination numbers vs z (Figs. 3c, 4a-b, S10a) and Li counts vs z and
  time (Figs. 3d, S8, S10b, S12).
- ``hops``: hop counts vs z (Figs. 3e, 4c-d, S10c) and net-displacement classes (Figs. 3f, 4e-f).
- ``polyhedra``: continuous symmetry measure and volume of Li polyhedra (Figs. 5, S14).
- ``csm_reference``: CSM along model distortions and volumes of perfect polyhedra (Fig. S13).
- ``layers``: atomic layers along a stacking normal; Li per cation layer (Fig. S12) and per
  Li plane of an interface (Fig. S8).
- ``glide``: in-plane glide of adjacent Zr layers over a bulk run (Fig. S5, β at 300 K).
- ``figures``: the figures above, bulk structure figures (S7, S12, S13, S14a-b) and side views (S9, S11).
"""
