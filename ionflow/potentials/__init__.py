"""Stage 3, potentials: datasets, DeePMD and NEP training, the committee and active learning."""
