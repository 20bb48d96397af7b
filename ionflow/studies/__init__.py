"""Stage 7, studies: the per-study orchestration that scripts call, the paper tables and the papers' numbers."""
