"""Git for sources: the few questions asked of a repository (``repo``), and git-aware
selection of another source's runs by commit or merge-base (``select``)."""
