"""Structural and single-particle analyses of MD trajectories (paper 1: Figs. 8-11, Table 3).

Each module holds one analysis as plain functions over numpy arrays or iterables of
``ase.Atoms`` and one figure function. Units: positions in Å, times in ps, energies in eV,
temperatures in K.
"""
