"""Runs from DVC: a metrics file read at git revisions (``revisions``), or the output of
``dvc exp show --json`` saved to a file (``exp_show``)."""
