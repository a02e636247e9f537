"""Analysis over the domain models: the claims register, sweeps, Monte Carlo and sensitivity."""
