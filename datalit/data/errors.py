"""Errors a learner or admin can act on: each says what, where and how to fix."""
from __future__ import annotations


class DataError(Exception):
    """Base class for dataset problems."""


class UnknownDatasetError(DataError, KeyError):
    def __init__(self, dataset_id: str, close: list[str]):
        self.dataset_id = dataset_id
        self.close = close
        hint = f" 비슷한 이름 / did you mean: {', '.join(close)}" if close else ""
        super().__init__(
            f"알 수 없는 데이터셋 '{dataset_id}' / unknown dataset id '{dataset_id}'.{hint} "
            "(전체 목록 / full list: `datalit data list`)"
        )

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.args[0]


class UnknownTableError(DataError, KeyError):
    def __str__(self) -> str:
        return self.args[0]


class ChecksumError(DataError):
    def __init__(self, path, expected: str, actual: str):
        self.path, self.expected, self.actual = path, expected, actual
        super().__init__(
            f"파일이 카탈로그와 다릅니다 / checksum mismatch for {path}\n"
            f"  expected sha256: {expected}\n"
            f"  actual sha256:   {actual}\n"
            "How to fix: restore the original file (byte-for-byte as published), or delete it so the "
            "loader downloads the pinned copy; `datalit data verify` checks every file. "
            "If you changed the file on purpose, load with verify=False (DATALIT_DATA_VERIFY=0)."
        )


class MissingFileError(DataError, FileNotFoundError):
    def __init__(self, dataset_id: str, filename: str, looked: list[str], download_error: str | None):
        self.dataset_id, self.filename, self.looked = dataset_id, filename, looked
        where = "\n".join(f"  - {p}" for p in looked)
        extra = f"\nDownload failed: {download_error}" if download_error else ""
        super().__init__(
            f"데이터 파일을 찾을 수 없습니다 / data file not found: {dataset_id}/{filename}\n"
            f"Looked in:\n{where}{extra}\n"
            "How to fix: set DATALIT_DATA_DIR to a folder holding <dataset_id>/<file>, put the shared "
            "datasets at ../shared/datasets beside the checkout, or allow the download of the pinned URL."
        )

    def __str__(self) -> str:
        return self.args[0]
