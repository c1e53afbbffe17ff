"""`rungate init`: a first policy from the runs a team already has (``guess`` reads the
runs, ``write`` writes the commented policy)."""
