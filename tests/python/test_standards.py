"""yike.standards and yike.describe_standard against `yike standards list|show`."""
import pytest

import yike
from conftest import cli_error, run_cli


def test_standards_equal_the_command():
    table = yike.standards()
    listed = run_cli("standards", "list").stdout
    assert len(table) == 6 and "mofcom-15min" in table["id"].tolist()
    for row in table.itertuples():
        assert f"`{row.id}`" in listed or row.id in listed
        assert yike.describe_standard(row.id) == run_cli("standards", "show", row.id).stdout


def test_unknown_standard():
    code, message = cli_error("standards", "show", "nowhere-2030")
    with pytest.raises(yike.ConfigError) as e:
        yike.describe_standard("nowhere-2030")
    assert str(e.value) == message and code == 1
