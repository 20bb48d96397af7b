"""Study B's machine-learned potential: NEP inputs, committee training, committee deviation."""
