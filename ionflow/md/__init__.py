"""Stage 4, molecular dynamics: LAMMPS (DeePMD) and NEP (CPUNEP here, GPUMD on clusters) in restartable chunks."""
