"""Seoul Data Literacy Lab (서울 데이터 리터러시 랩).

Nothing heavy happens at import time: subpackages are imported on use.
"""

__version__ = "0.1.0"
