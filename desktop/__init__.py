"""UnionDesk (基层工会工作台): an offline desk for grassroots trade-union offices."""

__version__ = "0.1.0"
APP_NAME = "UnionDesk"
APP_TITLE = "基层工会工作台"
