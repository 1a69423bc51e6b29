"""Care's use cases, one module per part of a child's care: load, authorise, apply the rules,
save, publish and log, in the caller's unit of work."""
