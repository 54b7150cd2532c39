"""influence: who actually moves a decision inside a customer account.

Load an account's people, relationships and events, find its influencers, brokers,
coalitions and warm introduction paths, and draw them as interactive maps.

>>> import influence
>>> ds = influence.load("data/sample")
>>> len(ds.accounts) >= 2
True
"""

from importlib.metadata import version

from influence.account import Account, Dataset, Options, load
from influence.io.quality import InputError

__version__ = version("influence")
__all__ = ["Account", "Dataset", "InputError", "Options", "load", "__version__"]
