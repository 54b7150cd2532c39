"""Imported in the fork server that local batch workers are forked from, when they draw
accounts (:data:`influence.batch.runner.DRAWING_MODULES`): loads the compiled
betweenness and closeness kernels (:func:`influence.analysis.brandes.warm`) once, so
that every worker inherits them ready instead of loading numba and its cache itself
(about 1.2 s of CPU each).

With the kernel loaded, :func:`influence.analysis.compute.path_metrics` uses it from
:data:`~influence.analysis.compute.LOADED_KERNEL_WORK` sources x edges: a drawn
account's report computes closeness for each of 12 past months, 4 to 20 times faster in
the kernel, and the workers' other accounts gain too (the same bits either way). The
import is the point of this module; nothing else imports it.
"""

from influence.analysis.brandes import warm

warm()
