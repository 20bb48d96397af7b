"""Stage 6, analysis of trajectories made anywhere: transport, structure, interfaces, potential
validation, force parity. No module here imports an MD engine or a reference calculator."""
