"""Community's use cases: load, authorise, apply the rules, save, publish and log; no HTTP."""
