"""Classroom grading: a folder of submitted exercise notebooks -> gradebook, feedback, review files.

One module per job: ``submission`` (read and identify a submission), ``assemble`` (rebuild the
notebook to run, with capture cells in place of the checks), ``sandbox`` (the restricted kernel),
``runner`` (run one submission and evaluate its answers), ``reports`` (gradebook, feedback and
review files), ``marks`` (merge hand marks back), ``batch`` (many submissions in parallel), ``cli``.
"""
